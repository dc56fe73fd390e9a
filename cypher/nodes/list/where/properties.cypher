// Each predicate names a stored key (typed and custom scalars live under different prefixes,
// STRUCTs under others, so a STRUCT is never compared). Across kinds `<`, `>` and the like
// give null and `=` and IN give false, so a value of another kind never matches; only `<>`
// is true across kinds (1 <> '1'), so `ne` also demands that the kinds agree.
all(predicate IN $propertyPredicates WHERE
  CASE predicate.op
    WHEN 'eq' THEN n[predicate.key] = predicate.value
    WHEN 'ne' THEN n[predicate.key] <> predicate.value AND (
         (n[predicate.key] IS :: STRING AND predicate.value IS :: STRING)
      OR (n[predicate.key] IS :: BOOLEAN AND predicate.value IS :: BOOLEAN)
      OR (n[predicate.key] IS :: INTEGER | FLOAT AND predicate.value IS :: INTEGER | FLOAT))
    WHEN 'lt' THEN n[predicate.key] < predicate.value
    WHEN 'lte' THEN n[predicate.key] <= predicate.value
    WHEN 'gt' THEN n[predicate.key] > predicate.value
    WHEN 'gte' THEN n[predicate.key] >= predicate.value
    WHEN 'in' THEN n[predicate.key] IN predicate.value
  END)
