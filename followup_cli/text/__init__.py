"""Everything a shop user reads, in Chinese and English: messages (the Msg type and msg()), labels
(column headers, statuses), and one module per area for its sentences."""
