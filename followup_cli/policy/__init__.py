"""The follow-up policy: vocabulary (kinds, channels, outcomes, satisfaction), rules (the rule
model and presets/*.toml), conditions (tests on record fields), setup (settings into policy,
work calendar and birthday policy)."""
