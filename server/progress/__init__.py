"""Progress: forgiving figures about the reader's acts of kindness, read through SQL aggregates."""
