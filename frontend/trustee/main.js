// The static trustee page (consejo/static/trustee/index.html): reads the box's file and the
// card, makes the step's file. Runs entirely in the browser; it sends nothing anywhere.
import { entropyToMnemonic, mnemonicToEntropy, validateMnemonic } from "@scure/bip39";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { wordlist as spanish } from "@scure/bip39/wordlists/spanish.js";
import qrcode from "qrcode-generator";
import * as P from "./protocol.js";

const T = {
  es: {
    title: "Página del custodio", box: "1. El archivo de la urna", card: "2. Su tarjeta", step: "3. El paso",
    newcard: "Hacer una tarjeta nueva (paso 1)", words: "Las 24 palabras de su tarjeta, o la línea de su código",
    you: "Su número de custodio", make: "Hacer el archivo del paso", save: "Guardar el archivo",
    print: "Imprima esta tarjeta o copie las 24 palabras. Es su parte de la clave: guárdela donde no la encuentren.",
    nobox: "Elija primero el archivo de la urna.", nocard: "Escriba las palabras de su tarjeta.",
    badwords: "Las palabras no son válidas (una está mal copiada o no es de la lista).",
    notyours: "Esta tarjeta no es la del custodio %s de esta urna.", done: "Listo: guarde el archivo y entréguelo en su página de custodio.",
    accuse: "Las partes de estos custodios no corresponden a sus compromisos: %s. Entregue este archivo: los señala.",
    working: "Calculando… %s de %s", badfile: "El archivo no es el de una urna de consejo.",
    nomix: "La urna aún no está cerrada y mezclada.", waiting: "Faltan pasos de otros custodios: %s.",
    already: "Este paso ya está hecho para la urna en su estado actual.",
  },
  en: {
    title: "Trustee's page", box: "1. The box's file", card: "2. Your card", step: "3. The step",
    newcard: "Make a new card (step 1)", words: "Your card's 24 words, or its code's line",
    you: "Your trustee number", make: "Make the step's file", save: "Save the file",
    print: "Print this card or copy the 24 words. It is your part of the key: keep it where it cannot be found.",
    nobox: "Choose the box's file first.", nocard: "Write your card's words.",
    badwords: "The words are not valid (one is copied wrong or is not on the list).",
    notyours: "This card is not the card of trustee %s of this box.", done: "Done: save the file and bring it on your trustee page.",
    accuse: "The shares of these trustees do not match their commitments: %s. Bring this file: it names them.",
    working: "Working… %s of %s", badfile: "The file is not a consejo box's file.",
    nomix: "The box is not closed and mixed yet.", waiting: "Other trustees' steps are missing: %s.",
    already: "This step is already done for the box as it stands.",
  },
};
const lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "es";
const t = (k, ...a) => a.reduce((s, v) => s.replace("%s", v), T[lang][k]);
const $ = (id) => document.getElementById(id);
const fold = (w) => w.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
let box = null;

function say(text, error) { const m = $("message"); m.textContent = text; m.className = error ? "error" : "ok"; if (error) m.focus(); }

function readCard(text) {
  const line = text.split(/\n/).map((l) => l.trim()).find((l) => l.startsWith("consejo-trustee:1:"));
  if (line) { const [, , ref, index, seed] = line.split(":"); return { ref, index: Number(index), seed: P.unhex(seed) }; }
  const words = text.replace(/[0-9.]/g, " ").split(/\s+/).filter(Boolean).map(fold);
  for (const list of [spanish, english]) {
    const byFold = new Map(list.map((w) => [fold(w), w]));
    if (words.length === 24 && words.every((w) => byFold.has(w))) {
      const phrase = words.map((w) => byFold.get(w)).join(" ");
      if (!validateMnemonic(phrase, list)) break;
      return { seed: mnemonicToEntropy(phrase, list) };
    }
  }
  throw new Error(t("badwords"));
}

function commitments() {
  const out = {};
  for (const row of box.trustees) if (row.commitment) out[row.index] = P.readCommitment(row.commitment, box.threshold);
  return out;
}

function checkCard(ctx, index, seed) {
  const row = box.trustees.find((r) => r.index === index);
  const mine = P.commit(ctx, P.derive(ctx, index, box.threshold, seed));
  if (!row || !row.commitment || P.hex(mine.slice(0, 32 * (box.threshold + 1))) !== row.commitment.slice(0, 64 * (box.threshold + 1))) throw new Error(t("notyours", index));
}

function stepFile(step, index, extra) { return { format: "consejo-trustee-step/1", box: box.box, trustee: index, step, ...extra }; }

function offer(name, data) {
  const blob = new Blob([JSON.stringify(data)], { type: "application/json" });
  const a = $("save"); a.href = URL.createObjectURL(blob); a.download = name; a.hidden = false;
}

function showCard(index, seed) {
  const words = entropyToMnemonic(seed, lang === "en" ? english : spanish).split(" ");
  const qr = qrcode(0, "M"); qr.addData(`consejo-trustee:1:${box.box}:${index}:${P.hex(seed)}`); qr.make();
  $("qr").innerHTML = qr.createSvgTag({ cellSize: 3, margin: 2, scalable: true });
  const list = $("wordlist"); list.textContent = "";
  for (const w of words) { const li = document.createElement("li"); li.textContent = w; list.append(li); }
  $("printed").hidden = false; $("cardtext").value = words.join(" ");
}

async function make(fresh) {
  try {
    if (!box) throw new Error(t("nobox"));
    const ctx = P.context(box.box);
    let index = Number($("you").value) || box.you;
    if (fresh) {
      const seed = crypto.getRandomValues(new Uint8Array(32));
      if (!index) throw new Error(t("you"));
      const file = stepFile("commit", index, { commitment: P.hex(P.commit(ctx, P.derive(ctx, index, box.threshold, seed))) });
      showCard(index, seed); offer(`compromiso-${index}.json`, file); say(t("done"));
      return;
    }
    const text = $("cardtext").value.trim();
    if (!text) throw new Error(t("nocard"));
    const card = readCard(text);
    index = card.index || index;
    if (!index) throw new Error(t("you"));
    checkCard(ctx, index, card.seed);
    const s = P.derive(ctx, index, box.threshold, card.seed);
    const others = box.trustees.filter((r) => r.index !== index);
    const me = box.trustees.find((r) => r.index === index);
    if (!me.shares) {
      const missing = box.trustees.filter((r) => !r.commitment).map((r) => r.index);
      if (missing.length) throw new Error(t("waiting", missing.join(", ")));
      const keys = Object.fromEntries(Object.entries(commitments()).map(([i, c]) => [i, c.communicationKey]));
      offer(`partes-${index}.json`, stepFile("shares", index, { shares: P.sealShares(ctx, s, keys) })); say(t("done"));
      return;
    }
    const missing = others.filter((r) => !r.shares).map((r) => r.index);
    if (missing.length) throw new Error(t("waiting", missing.join(", ")));
    const sealed = Object.fromEntries(others.map((r) => [r.index, P.unhex(r.shares[String(index)] || "")]));
    const { share, bad } = P.openShares(ctx, s, commitments(), sealed);
    if (!box.mixed) {
      if (me.confirmed) throw new Error(t("nomix"));
      if (bad.length) { offer(`confirmacion-${index}.json`, stepFile("confirm", index, { accuse: bad })); say(t("accuse", bad.join(", ")), true); return; }
      offer(`confirmacion-${index}.json`, stepFile("confirm", index, { proof: P.hex(P.confirmProof(ctx, index, share)) })); say(t("done"));
      return;
    }
    if (bad.length) throw new Error(t("accuse", bad.join(", ")));
    const mixed = P.unb64(box.mixed);
    await new Promise((r) => setTimeout(r, 20));
    const { images, proof } = P.partialDecrypt(ctx, index, share, mixed, (n, of) => say(t("working", n, of)));
    offer(`descifrado-${index}.json`, stepFile("decrypt", index, { count: mixed.length / 64, images: P.b64(images), proof: P.hex(proof) }));
    say(t("done"));
  } catch (error) { say(error.message || String(error), true); }
}

function start() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  $("boxfile").addEventListener("change", async (e) => {
    try {
      const data = JSON.parse(await e.target.files[0].text());
      if (data.format !== "consejo-box/1") throw new Error(t("badfile"));
      box = data; if (box.you) $("you").value = box.you; say(box.box);
    } catch (error) { box = null; say(error.message === t("badfile") ? error.message : t("badfile"), true); }
  });
  $("newcard").addEventListener("click", () => make(true));
  $("make").addEventListener("click", () => make(false));
}
start();
