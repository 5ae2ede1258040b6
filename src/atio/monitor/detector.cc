#include "atio/monitor/detector.h"

#include <boost/json/parse.hpp>

#include "atio/audit/json_diff.h"

namespace atio::monitor {

namespace {

// The parsed detail of an audit record; {} when it is not an object.
bj::object detail_of(const store::AuditRecord& r) {
  boost::system::error_code ec;
  bj::value v = bj::parse(r.detail, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

std::string hash_after_of(const bj::object& detail) {
  const bj::value* h = detail.if_contains("hash_after");
  return h && h->is_string() ? std::string(h->get_string()) : std::string();
}

bool is_content_action(const std::string& action) {
  return action == "playbook.create" || action == "playbook.import" ||
         action == "playbook.update" || action == "playbook.delete" ||
         action == "playbook.restore" || action == "playbook.recover";
}

// Audit records by playbook id, oldest first.
using AuditIndex = std::map<std::string, std::vector<const store::AuditRecord*>>;

// The newest content record of `id` whose hash_after is `hash` ("" = null).
const store::AuditRecord* attribution(const AuditIndex& index, const std::string& id,
                                      const std::string& hash) {
  auto it = index.find(id);
  if (it == index.end()) return nullptr;
  for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) {
    if (!is_content_action((*r)->action)) continue;
    if (hash_after_of(detail_of(**r)) == hash) return *r;
  }
  return nullptr;
}

bool has_action(const AuditIndex& index, const std::string& id, const std::string& action) {
  auto it = index.find(id);
  if (it == index.end()) return false;
  for (const auto* r : it->second) {
    if (r->action == action) return true;
  }
  return false;
}

Actor unknown_actor() {
  Actor a;
  a.kind = "unknown";
  a.name = kUnknownActor;
  return a;
}

}  // namespace

Actor actor_of(const store::AuditRecord& r) {
  Actor a;
  a.id = r.actor;
  a.kind = r.actor_kind;
  a.name = r.actor_name.empty() ? r.actor : r.actor_name;
  a.role = r.role;
  a.audit_seq = r.seq;
  a.action = r.action;
  return a;
}

Detector::Detector(Policy policy) : policy_(std::move(policy)) {}

void Detector::baseline(const store::PlaybookScan& scan) {
  known_.clear();
  protected_.clear();
  for (const auto& p : scan.playbooks) {
    known_[p.id] = Known{p.name, store::playbook_content_hash(p.document), p.document,
                         p.updated_at_ms, Actor{}};
  }
  for (const auto& p : scan.protection) protected_.insert(p.playbook_id);
  // What exists now is known: the change log so far is history.
  for (const auto& c : scan.changes) change_floor_ = std::max(change_floor_, c.seq);
  seen_above_.clear();
  gaps_.clear();
  last_audit_seq_ = std::max(last_audit_seq_, scan.audit_head_seq);
  schema_version_ = scan.schema_version;
}

void Detector::advance_floor(std::int64_t now_ms) {
  if (seen_above_.empty()) return;
  const std::int64_t top = *seen_above_.rbegin();
  for (std::int64_t s = change_floor_ + 1; s < top; ++s) {
    if (!seen_above_.count(s)) gaps_.emplace(s, now_ms);  // keeps when first missed
  }
  for (;;) {
    const std::int64_t next = change_floor_ + 1;
    if (seen_above_.erase(next) > 0) {
      gaps_.erase(next);
    } else if (auto g = gaps_.find(next); g != gaps_.end() && now_ms - g->second >= kGapPatienceMs) {
      gaps_.erase(g);
    } else {
      return;
    }
    change_floor_ = next;
  }
}

Detection Detector::detect(const store::PlaybookScan& scan, bool full, std::int64_t now_ms) {
  Detection out;
  AuditIndex audit;
  for (const auto& r : scan.audit) {
    if (r.seq <= last_audit_seq_ || r.outcome != "success") continue;
    audit[r.object_id].push_back(&r);
  }
  std::map<std::string, const store::PlaybookRecord*> now;
  for (const auto& p : scan.playbooks) now[p.id] = &p;
  // Ids to look at, with the change log's rows for each.
  std::map<std::string, std::vector<const store::PlaybookChange*>> log;
  for (const auto& c : scan.changes) {
    if (c.seq <= change_floor_ || !seen_above_.insert(c.seq).second) continue;
    log[c.playbook_id].push_back(&c);
  }
  advance_floor(now_ms);
  std::set<std::string> ids;
  for (const auto& [id, rows] : log) ids.insert(id);
  if (full) {
    for (const auto& [id, k] : known_) ids.insert(id);
    for (const auto& [id, p] : now) ids.insert(id);
  }
  std::set<std::string> protected_now;
  for (const auto& p : scan.protection) protected_now.insert(p.playbook_id);

  auto change_time = [&](const std::string& id, const char* op) {
    auto it = log.find(id);
    if (it == log.end()) return now_ms;  // seen by a full scan only
    for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) {
      if (op == nullptr || (*r)->op == op) return (*r)->time_ms;
    }
    return it->second.back()->time_ms;
  };
  auto touched_content = [&](const std::string& id) {
    auto it = log.find(id);
    if (it == log.end()) return full;
    for (const auto* r : it->second) {
      if (r->op == "insert" || r->op == "update" || r->op == "delete") return true;
    }
    return false;
  };

  for (const auto& id : ids) {
    const bool was_protected = protected_.count(id) > 0;
    auto before = known_.find(id);
    auto after_it = now.find(id);
    const store::PlaybookRecord* after = after_it == now.end() ? nullptr : after_it->second;
    const std::string after_hash = after ? store::playbook_content_hash(after->document) : "";
    if (touched_content(id)) out.changed_ids.insert(id);

    ChangeEvent e;
    e.playbook_id = id;
    e.detected_ms = now_ms;
    e.is_protected = was_protected;
    bool emit = true;
    if (before == known_.end() && after == nullptr) {
      // Created and deleted between two scans: both events, as far as the
      // audit log tells what it was.
      if (!touched_content(id)) emit = false;
      const store::AuditRecord* created = nullptr;
      if (auto it = audit.find(id); it != audit.end()) {
        for (const auto* r : it->second) {
          if (r->action != "playbook.delete" && is_content_action(r->action)) created = r;
        }
      }
      if (emit) {
        ChangeEvent c = e;
        c.kind = ChangeKind::kCreation;
        c.time_ms = change_time(id, "insert");
        c.actor = created ? actor_of(*created) : unknown_actor();
        if (created) {
          bj::object d = detail_of(*created);
          if (const auto* n = d.if_contains("name"); n && n->is_string()) c.name = n->get_string();
          c.hash_after = hash_after_of(d);
        }
        const store::AuditRecord* deleted = attribution(audit, id, "");
        e.kind = ChangeKind::kDeletion;
        e.name = c.name;
        e.hash_before = c.hash_after;
        e.time_ms = change_time(id, "delete");
        e.actor = deleted ? actor_of(*deleted) : unknown_actor();
        out.events.push_back(std::move(c));
      }
    } else if (before == known_.end()) {
      e.kind = ChangeKind::kCreation;
      e.name = after->name;
      e.hash_after = after_hash;
      e.time_ms = change_time(id, "insert");
    } else if (after == nullptr) {
      e.kind = ChangeKind::kDeletion;
      e.name = before->second.name;
      e.hash_before = before->second.hash;
      e.time_ms = change_time(id, "delete");
    } else if (before->second.hash != after_hash) {
      e.kind = ChangeKind::kModification;
      e.name = after->name;
      e.hash_before = before->second.hash;
      e.hash_after = after_hash;
      e.time_ms = change_time(id, nullptr);
      e.changes = audit::json_diff(bj::value(before->second.document), bj::value(after->document),
                                   audit::DiffLimits{1000, 4096});
    } else {
      emit = false;  // rewritten with the same content, or only its protection changed
    }

    if (emit && !(before == known_.end() && after == nullptr)) {
      const store::AuditRecord* who = attribution(audit, id, after_hash);
      e.actor = who ? actor_of(*who) : unknown_actor();
      if (who && who->action == "playbook.recover") {
        bj::object d = detail_of(*who);
        bj::object rec{{"restored_by", "atio (self-recovery)"}};
        for (const char* k : {"reason", "restored_version", "changed_at_ms"}) {
          if (const auto* v = d.if_contains(k)) rec[k] = *v;
        }
        rec["restored_at_ms"] = e.time_ms;
        if (const auto* c = d.if_contains("changed_at_ms"); c && c->is_int64()) {
          rec["recovery_ms"] = e.time_ms - c->as_int64();
        }
        e.recovery = std::move(rec);
      }
    }

    // Protection: removed without the right to, or a protected playbook
    // changed without it.
    const bool unprotected = was_protected && protected_now.count(id) == 0;
    const bool unprotect_ok =
        has_action(audit, id, "playbook.unprotect") ||
        (emit && e.kind == ChangeKind::kDeletion && policy_(e.actor, ChangeKind::kDeletion));
    const bool content_refused = emit && was_protected && before != known_.end() &&
                                 !policy_(e.actor, e.kind);
    if (content_refused || (unprotected && !unprotect_ok)) {
      RecoveryRequest r;
      r.playbook_id = id;
      r.reprotect = unprotected && !unprotect_ok;
      if (content_refused) {
        r.kind = e.kind;
        r.name = before->second.name;
        r.good_document = before->second.document;
        r.good_hash = before->second.hash;
        r.bad_hash = after_hash;
        r.changed_at_ms = e.time_ms;
        e.recovery = bj::object{{"status", "restoring"},
                                {"reason", "changed without the right to: " + e.actor.name}};
      } else {
        r.name = before != known_.end() ? before->second.name : "";
        r.changed_at_ms = change_time(id, "unprotect");
      }
      out.recoveries.push_back(std::move(r));
    }
    if (unprotected && !unprotect_ok) protected_now.insert(id);  // still protected

    if (emit) out.events.push_back(std::move(e));
    if (after) {
      known_[id] = Known{after->name, after_hash, after->document, after->updated_at_ms,
                         emit ? out.events.back().actor
                              : (before != known_.end() ? before->second.last_actor : Actor{})};
    } else if (before != known_.end()) {
      known_.erase(before);
    }
  }
  // Every scan reads every protection row: take them as they are, with the
  // ones removed without the right to kept above.
  protected_ = std::move(protected_now);
  last_audit_seq_ = std::max(last_audit_seq_, scan.audit_head_seq);
  schema_version_ = scan.schema_version;
  return out;
}

bj::array Detector::workflow_data() const {
  bj::array out;
  for (const auto& [id, k] : known_) {
    out.push_back(bj::object{{"id", id},
                             {"name", k.name},
                             {"hash", k.hash},
                             {"edited", time_text(k.updated_at_ms)},
                             {"updated_by", k.last_actor.kind == "unknown"
                                                ? std::string(kUnknownActor)
                                                : k.last_actor.name},
                             {"protected", protected_.count(id) > 0}});
  }
  return out;
}

}  // namespace atio::monitor
