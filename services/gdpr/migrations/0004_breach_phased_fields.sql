-- Art. 33(4): where it is not possible to provide all the information at the same time, it may be
-- provided in phases. A breach is recorded as soon as staff are aware of it (the 72-hour clock
-- starts then); the Art. 33(3) fields may follow, and the register says which are still missing.
ALTER TABLE ${schema}.breaches
  ALTER COLUMN nature DROP NOT NULL,
  ALTER COLUMN dpo_contact DROP NOT NULL,
  ALTER COLUMN likely_consequences DROP NOT NULL,
  ALTER COLUMN measures DROP NOT NULL,
  ALTER COLUMN data_categories SET DEFAULT '{}';
