#include "atio/audit/verify.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "atio/audit/signing_key.h"

namespace atio::audit {

namespace {

namespace bj = boost::json;

using store::AuditCheckpoint;
using store::AuditRecord;

std::string s(std::int64_t n) { return std::to_string(n); }

// Calls `each` for every record in seq order.
template <typename Each>
Status walk(store::Store& st, std::int64_t page, Each each) {
  store::AuditFilter f;
  f.limit = page;
  for (;;) {
    ATIO_ASSIGN_OR_RETURN(auto rows, st.list_audit(f));
    for (const auto& r : rows) each(r);
    if (static_cast<std::int64_t>(rows.size()) < page) return Status();
    f.after_seq = rows.back().seq;
  }
}

// Why record `r` does not link to the record before it (`prev_seq`), once
// every stored hash is known.
VerifyProblem classify_link(const AuditRecord& r, bool content_ok, std::int64_t prev_seq,
                            const std::unordered_map<std::string, std::int64_t>& seq_of_hash) {
  auto it = seq_of_hash.find(r.prev_hash);
  if (it != seq_of_hash.end()) {
    const std::int64_t m = it->second;
    if (m > r.seq) {
      return {"reordered", r.seq,
              "record " + s(r.seq) + " follows the record now at seq " + s(m) +
                  ": records were moved out of order (reordered)"};
    }
    if (m < prev_seq) {
      const std::string range = m + 1 == prev_seq ? "record " + s(prev_seq)
                                                  : "records " + s(m + 1) + ".." + s(prev_seq);
      return {"inserted", m + 1,
              range + " is not part of the chain: record " + s(r.seq) + " links to record " +
                  s(m) + " (inserted)"};
    }
  }
  if (content_ok) {
    return {"edited", prev_seq,
            "record " + s(prev_seq) + " was replaced: record " + s(r.seq) +
                " links to a different record " + s(prev_seq) + " (edited and its hash recomputed)"};
  }
  // A record renumbered after deletions still hashes with its old seq.
  AuditRecord probe = r;
  for (std::int64_t k = 1; k <= 64; ++k) {
    probe.seq = r.seq + k;
    if (store::audit_record_hash(probe) == r.hash) {
      return {"deleted", r.seq,
              "record " + s(r.seq) + " was record " + s(r.seq + k) + ": " + s(k) +
                  (k == 1 ? " record before it was" : " records before it were") +
                  " deleted and the later ones renumbered"};
    }
  }
  return {"deleted", r.seq,
          "record " + s(r.seq) + " does not match its hash and does not link to record " +
              s(prev_seq) + ": records around it were deleted or changed"};
}

}  // namespace

Result<VerifyReport> verify_audit_log(store::Store& st, const VerifyOptions& options) {
  VerifyReport rep;
  rep.key_trusted = !options.trusted_public_key.empty();
  const std::int64_t page = std::max<std::int64_t>(options.page_size, 1);

  std::map<std::int64_t, AuditCheckpoint> checkpoints;
  for (std::int64_t after = 0;;) {
    ATIO_ASSIGN_OR_RETURN(auto rows, st.list_audit_checkpoints(after, page));
    for (auto& c : rows) checkpoints.emplace(c.seq, std::move(c));
    if (static_cast<std::int64_t>(rows.size()) < page) break;
    after = rows.back().seq;
  }
  rep.checkpoints = static_cast<std::int64_t>(checkpoints.size());
  if (!checkpoints.empty()) rep.last_checkpoint_seq = checkpoints.rbegin()->first;
  for (const auto& [seq, c] : checkpoints) {
    const std::string message = store::audit_checkpoint_message(c.seq, c.hash, c.time_ms);
    if (rep.key_trusted && c.public_key != options.trusted_public_key) {
      rep.problems.push_back({"unknown_key", seq,
                              "checkpoint " + s(seq) + " is signed by key " + c.public_key +
                                  ", not by the audit key (forged or replaced)"});
    } else if (!verify_signature(c.public_key, message, c.signature)) {
      rep.problems.push_back({"bad_signature", seq,
                              "the signature of checkpoint " + s(seq) +
                                  " is not valid: the checkpoint was altered or forged"});
    }
  }

  // First pass: the first record where the chain breaks.
  std::int64_t prev_seq = 0;
  std::string prev_hash(store::kAuditGenesisHash);
  std::optional<VerifyProblem> broken;
  std::optional<AuditRecord> unlinked;  // needs every hash to be told apart
  bool unlinked_content_ok = false;
  std::int64_t unlinked_prev = 0;
  // A record that does not match its hash is an edit, unless the next
  // record skips it and links to the one before: then it was inserted.
  std::optional<AuditRecord> mismatched;
  std::string before_mismatched;
  auto edited = [](std::int64_t seq) {
    return VerifyProblem{"edited", seq,
                         "record " + s(seq) +
                             " does not match its hash: its fields were changed (edited)"};
  };
  ATIO_RETURN_IF_ERROR(walk(st, page, [&](const AuditRecord& r) {
    ++rep.records;
    rep.head_seq = r.seq;
    rep.head_hash = r.hash;
    if (mismatched) {
      if (r.prev_hash == before_mismatched) {
        broken = VerifyProblem{"inserted", mismatched->seq,
                               "record " + s(mismatched->seq) + " is not part of the chain: record " +
                                   s(r.seq) + " links to record " + s(mismatched->seq - 1) +
                                   " (inserted)"};
      } else {
        broken = edited(mismatched->seq);
      }
      mismatched.reset();
    }
    if (broken || unlinked) return;
    if (r.seq != prev_seq + 1) {
      const std::int64_t first = prev_seq + 1;
      const std::string range = first == r.seq - 1 ? "record " + s(first)
                                                   : "records " + s(first) + ".." + s(r.seq - 1);
      broken = VerifyProblem{"deleted", first,
                             range + " missing: record " + s(r.seq) + " follows record " +
                                 s(prev_seq) + " (deleted)"};
      return;
    }
    const bool content_ok = store::audit_record_hash(r) == r.hash;
    if (r.prev_hash != prev_hash) {
      unlinked = r;
      unlinked_content_ok = content_ok;
      unlinked_prev = prev_seq;
      return;
    }
    if (!content_ok) {
      mismatched = r;
      before_mismatched = prev_hash;
      return;
    }
    auto cp = checkpoints.find(r.seq);
    if (cp != checkpoints.end() && cp->second.hash != r.hash) {
      // Some record since the checkpoint before was changed, and every hash
      // after it recomputed; which one, the chain alone cannot tell.
      const std::int64_t from = cp == checkpoints.begin() ? 1 : std::prev(cp)->first + 1;
      broken = VerifyProblem{"edited", r.seq,
                             "record " + s(r.seq) + " is not the record checkpoint " + s(r.seq) +
                                 " signed: records " + s(from) + ".." + s(r.seq) +
                                 " were changed and their hashes recomputed"};
      return;
    }
    prev_seq = r.seq;
    prev_hash = r.hash;
  }));
  if (mismatched) broken = edited(mismatched->seq);
  if (unlinked) {
    std::unordered_map<std::string, std::int64_t> seq_of_hash;
    seq_of_hash.reserve(static_cast<std::size_t>(rep.records));
    ATIO_RETURN_IF_ERROR(walk(st, page, [&](const AuditRecord& r) { seq_of_hash[r.hash] = r.seq; }));
    broken = classify_link(*unlinked, unlinked_content_ok, unlinked_prev, seq_of_hash);
  }
  if (broken) rep.problems.push_back(*broken);
  if (rep.last_checkpoint_seq > rep.head_seq) {
    const auto& c = checkpoints.rbegin()->second;
    rep.problems.push_back({"truncated", rep.head_seq + 1,
                            "the log ends at record " + s(rep.head_seq) + " but checkpoint " +
                                s(c.seq) + " signed records up to " + s(c.seq) +
                                ": records " + s(rep.head_seq + 1) + ".." + s(c.seq) +
                                " were removed (truncated)"});
  }
  std::stable_sort(rep.problems.begin(), rep.problems.end(),
                   [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return rep;
}

bj::object VerifyReport::to_json() const {
  bj::array ps;
  for (const auto& p : problems) {
    ps.push_back(bj::object{{"kind", p.kind}, {"seq", p.seq}, {"message", p.message}});
  }
  bj::object o{{"ok", ok()},
               {"records", records},
               {"checkpoints", checkpoints},
               {"head_seq", head_seq},
               {"head_hash", head_hash},
               {"last_checkpoint_seq", last_checkpoint_seq},
               {"key_trusted", key_trusted},
               {"problems", std::move(ps)},
               {"summary", summary()}};
  return o;
}

std::string VerifyReport::summary() const {
  if (!ok()) return "audit log NOT intact: " + problems.front().message;
  std::string m = "audit log intact: " + s(records) + " records, " + s(checkpoints) +
                  " checkpoints (newest at record " + s(last_checkpoint_seq) + ")";
  if (!key_trusted && checkpoints > 0) {
    m += "; signatures checked against the keys stored with them, not against the key file";
  }
  return m;
}

}  // namespace atio::audit
