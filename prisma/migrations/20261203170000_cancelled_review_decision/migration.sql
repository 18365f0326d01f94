-- Reviews closed because their run was cancelled carried `{"outcome": "cancelled"}`, which is not a
-- valid decision (content, comment and reviewer are required). Give them the full shape.
UPDATE "Review"
SET "decision" = jsonb_build_object(
  'outcome', 'cancelled',
  'content', NULL,
  'comment', 'The run was cancelled before this review was decided.',
  'reviewer', ''
)
WHERE "decision"->>'outcome' = 'cancelled' AND NOT ("decision" ? 'reviewer');
