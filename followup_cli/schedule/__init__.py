"""Rules times records: occurrences of each rule per customer become tasks with stable ids,
contacts planned under the yearly cap and the minimum gap, done-matching against visits."""
