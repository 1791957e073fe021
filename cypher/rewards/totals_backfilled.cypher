// Whether reward totals need computing from the lines (see backfill_totals): only for a
// store that holds lines and no totals, written before totals were kept.  (No marker
// node: a first load needs an empty database.)
RETURN EXISTS { (:RewardTotal) } OR NOT EXISTS { (:RewardLine) } AS done
