"""Kindness days (optional): one or two days a week the reader gives to kindness, with a gentle
aim of three to five acts. Several acts on one day lift well-being more than the same acts
spread over the week (Lyubomirsky, Sheldon & Schkade 2005; Cregg & Cheavens 2023)."""
