// The case desk behind x-atio-case (actions/case/case_desk.h), over the
// case service: a playbook step acts as atio itself ("x-atio-case"), and
// its audit records name the execution and step.
#pragma once

#include "atio/actions/case/case_desk.h"
#include "atio/cases/service.h"

namespace atio::cases {

class ServiceDesk final : public actions::CaseDesk {
 public:
  // REQUIRES: `service` and `store` outlive the desk.
  ServiceDesk(CaseService& service, store::Store& store) : service_(service), store_(store) {}
  Result<std::vector<actions::CaseAnswer>> apply(const actions::CaseRequest& request) override;

 private:
  // The request's use case, else the first "use-case-..." label of its playbook.
  std::string use_case_of(const actions::CaseRequest& request);

  CaseService& service_;
  store::Store& store_;
};

}  // namespace atio::cases
