// Re-root a subtree's materialised paths and depths under its new sponsor.
MATCH (m:Member)
WHERE m.path STARTS WITH $old_prefix
SET m.path = $new_prefix + substring(m.path, size($old_prefix)),
    m.depth = m.depth + $depth_change
