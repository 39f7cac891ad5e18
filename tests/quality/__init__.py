"""Whole-system checks against live servers: crashes, several processes, fuzzing, soak."""
