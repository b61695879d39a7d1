// The trustee's side of consejo's sealed ballots, in the browser: the same steps, bytes and
// hashes as consejo/core/sealed (Python). Group arithmetic comes from @noble/curves
// (ristretto255, RFC 9496); nothing here is elliptic-curve code of its own.
import { ristretto255 } from "@noble/curves/ed25519.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";

const Point = ristretto255.Point;
export const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
const enc = new TextEncoder();

export const bytes = (s) => enc.encode(s);
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
export function hex(b) { return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(""); }
export function unhex(s) {
  if (typeof s !== "string" || s.length % 2 || /[^0-9a-f]/i.test(s)) throw new Error("not hexadecimal");
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}
export function b64(b) {
  let s = ""; const chunk = 0x8000;
  for (let i = 0; i < b.length; i += chunk) s += String.fromCharCode.apply(null, b.subarray(i, i + chunk));
  return btoa(s);
}
export function unb64(s) { const t = atob(s); const out = new Uint8Array(t.length); for (let i = 0; i < t.length; i++) out[i] = t.charCodeAt(i); return out; }

const le = (n, size) => { const out = new Uint8Array(size); let v = BigInt(n); for (let i = 0; i < size; i++) { out[i] = Number(v & 255n); v >>= 8n; } return out; };
const fromLe = (b) => { let v = 0n; for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]); return v; };
const mod = (v) => ((v % ORDER) + ORDER) % ORDER;
export const scalarBytes = (v) => le(mod(v), 32);
const idx = (i) => le(i, 4);

/** group.hash_to_scalar: SHA-512 of the parts, each prefixed by its length (8 bytes, LE), mod ℓ. */
export function hashToScalar(...parts) {
  const chunks = [];
  for (const p of parts) { chunks.push(le(p.length, 8), p); }
  return mod(fromLe(sha512(concat(...chunks))));
}
function randomScalar() {
  const b = new Uint8Array(64); crypto.getRandomValues(b);
  const v = mod(fromLe(b)); return v === 0n ? 1n : v;
}
const base = (k) => (k === 0n ? Point.ZERO : Point.BASE.multiply(k));
const mul = (k, p) => (k === 0n ? Point.ZERO : p.multiply(k));
export const point = (b) => Point.fromBytes(b);

export function context(reference) { return bytes("consejo/box/" + reference); }
const stepContext = (ctx, step, i) => concat(ctx, bytes("/" + step + "/"), idx(i));

/** dkg.derive: a trustee's coefficients and communication key, from its seed. */
export function derive(ctx, index, threshold, seed) {
  const coefficients = [];
  for (let n = 0; n < threshold; n++) coefficients.push(hashToScalar(bytes("consejo/coefficient"), ctx, idx(index), idx(n), seed));
  const communication = hashToScalar(bytes("consejo/communication"), ctx, idx(index), seed);
  return { index, coefficients, communication };
}
function shareFor(secrets, j) {
  let v = 0n; const J = BigInt(j);
  for (let l = secrets.coefficients.length - 1; l >= 0; l--) v = mod(v * J + secrets.coefficients[l]);
  return v;
}
/** proofs.prove_key: Schnorr, (c, r) with c = H("consejo/key", ctx, X, w·B). */
function proveKey(ctx, x) {
  const X = base(x).toBytes(); const w = randomScalar();
  const c = hashToScalar(bytes("consejo/key"), ctx, X, base(w).toBytes());
  return concat(scalarBytes(c), scalarBytes(w + c * x));
}
/** dkg.commit, encoded as Commitment.encode: E, A_0 … A_(k−1), the two proofs. */
export function commit(ctx, s) {
  return concat(
    base(s.communication).toBytes(),
    ...s.coefficients.map((a) => base(a).toBytes()),
    proveKey(stepContext(ctx, "key", s.index), s.coefficients[0]),
    proveKey(stepContext(ctx, "communication", s.index), s.communication),
  );
}
export function readCommitment(hexText, threshold) {
  const b = unhex(hexText);
  const points = [];
  for (let i = 0; i <= threshold; i++) points.push(b.slice(32 * i, 32 * i + 32));
  return { communicationKey: points[0], coefficients: points.slice(1) };
}
const pad = (ctx, sender, receiver, shared) => sha512(concat(bytes("consejo/share"), ctx, idx(sender), idx(receiver), shared)).slice(0, 32);
const xor = (a, b) => a.map((x, i) => x ^ b[i]);

/** dkg.seal_shares: f_i(j) for every other trustee, under the pad of e_i·E_j. */
export function sealShares(ctx, s, keys) {
  const out = {};
  for (const [j, key] of Object.entries(keys)) {
    if (Number(j) === s.index) continue;
    const shared = mul(s.communication, point(key)).toBytes();
    out[j] = hex(xor(scalarBytes(shareFor(s, Number(j))), pad(ctx, s.index, Number(j), shared)));
  }
  return out;
}
function feldman(coefficients, j) {
  let out = Point.ZERO; let power = 1n;
  for (const a of coefficients) { out = out.add(mul(power, point(a))); power = mod(power * BigInt(j)); }
  return out;
}
/** dkg.open_shares: the trustee's share and the senders whose share fails. */
export function openShares(ctx, s, commitments, sealed) {
  let total = shareFor(s, s.index); const bad = [];
  for (const i of Object.keys(commitments).map(Number).sort((x, y) => x - y)) {
    if (i === s.index) continue;
    const message = sealed[i];
    if (!message || message.length !== 32) { bad.push(i); continue; }
    const shared = mul(s.communication, point(commitments[i].communicationKey)).toBytes();
    const v = fromLe(xor(message, pad(ctx, i, s.index, shared)));
    if (v >= ORDER || !base(v).equals(feldman(commitments[i].coefficients, s.index))) { bad.push(i); continue; }
    total = mod(total + v);
  }
  return { share: total, bad };
}
export const confirmProof = (ctx, index, share) => proveKey(stepContext(ctx, "confirm", index), share);

/** proofs.prove_equal_logs over the mix's a_j: D_j = s·a_j and one batched Chaum–Pedersen proof. */
export function partialDecrypt(ctx, index, share, mixed, progress) {
  const bases = []; const images = [];
  for (let j = 0; j < mixed.length; j += 64) {
    const a = mixed.slice(j, j + 32); bases.push(a); images.push(mul(share, point(a)).toBytes());
    if (progress && (j / 64) % 200 === 0) progress(j / 64, mixed.length / 64);
  }
  const dctx = stepContext(ctx, "decrypt", index);
  const pub = base(share).toBytes();
  const head = [bytes("consejo/weights")];
  for (const part of [dctx, pub, le(bases.length, 8)]) head.push(le(part.length, 8), part);
  const seed = sha512(concat(...head, ...bases, ...images));
  let C = Point.ZERO;
  for (let j = 0; j < bases.length; j++) C = C.add(mul(hashToScalar(seed, le(j, 8)), point(bases[j])));
  const E = mul(share, C); const w = randomScalar();
  const c = hashToScalar(bytes("consejo/dleq"), dctx, pub, C.toBytes(), E.toBytes(), base(w).toBytes(), mul(w, C).toBytes());
  return { images: concat(...images), proof: concat(scalarBytes(c), scalarBytes(w + c * share)) };
}
export { sha256 };
