// A reviewer's verdict on a ring; it holds for every later run while the ring has the
// same members (its id is derived from them).
MERGE (v:RingReview {ring_id: $id})
SET v.status = $status, v.note = $note, v.reviewed_at = datetime()
RETURN v.status AS status, v.note AS note, toString(v.reviewed_at) AS reviewed_at
