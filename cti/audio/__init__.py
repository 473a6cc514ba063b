"""Audio helpers without a sound card: tone levels for who-hears-whom checks."""
