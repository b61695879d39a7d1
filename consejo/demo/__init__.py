"""The demo scenario: El Alto and La Paz, June 2005, built only through the services."""
