"""Rest: "I'm taking a break" (for a few days or until turned off): reminders are muted,
momentum is frozen, and Today says welcome back when the break ends. No debt, no catch-up."""
