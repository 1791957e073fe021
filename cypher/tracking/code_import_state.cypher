// What an import of referral codes checks against: which of $codes are stored (their
// member and fields), which of $member_ids are members, and those members' default codes.
CALL {
  UNWIND $codes AS code
  MATCH (c:ReferralCode {code: code})
  RETURN collect(c {.code, .member_id, .campaign, .channel, .is_default}) AS codes
}
CALL {
  UNWIND $member_ids AS id
  MATCH (m:Member {id: id})
  RETURN collect(m.id) AS members
}
CALL {
  UNWIND $member_ids AS id
  MATCH (d:ReferralCode)
  WHERE d.member_id = id AND d.is_default
  RETURN collect(d {.member_id, .code}) AS defaults
}
RETURN codes, members, defaults
