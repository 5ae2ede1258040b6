// Use case 3's cases: the monitor's change events as cases (docs/cases.md).
// Passes every notification on to the next publisher first (notifications
// do not wait), then:
//  - a deletion, or a modification made outside atio (actor unknown) or
//    refused (a protected playbook changed without the right to), opens the
//    case of that playbook, or updates its open case (key
//    "playbook:<id>", within the correlation window): occurred_at is when
//    the change was made (the database's clock), detected_at when the
//    monitor saw it, use case "use-case-3";
//  - atio's own restore of a playbook (self-recovery) is the response:
//    the playbook's open case is marked responded at the restore's time.
// The cases are written on the watcher thread once the notification has
// been passed on (one durable store write each, no outside I/O). A case
// that cannot be written is reported on standard error; the notification
// has gone out regardless.
#pragma once

#include "atio/cases/service.h"
#include "atio/monitor/watcher.h"

namespace atio::monitor {

class CasePublisher final : public Publisher {
 public:
  // REQUIRES: `next`, `cases` and `store` outlive this object.
  CasePublisher(Publisher& next, cases::CaseService& cases, store::Store& store)
      : next_(next), cases_(cases), store_(store) {}
  void publish(const std::vector<ChangeEvent>& events, bj::array workflow_data) override;

 private:
  Status record(const ChangeEvent& e);

  Publisher& next_;
  cases::CaseService& cases_;
  store::Store& store_;
};

}  // namespace atio::monitor
