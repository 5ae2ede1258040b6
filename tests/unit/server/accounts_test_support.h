// Helpers for tests of users, sessions and API keys through the router:
// requests with a source address, a session cookie and a CSRF token.
#pragma once

#include <string>

#include "server_test_support.h"

namespace atio::server::testing {

class AccountsTest : public ServerTest {
 protected:
  struct Call {
    std::string method;
    std::string target;
    std::string body;
    std::string key;      // API key; "" = none
    std::string cookie;   // session token; "" = none
    std::string csrf;     // X-CSRF-Token; "" = none
    std::string remote = "10.0.0.1";
  };

  Response send(const Call& c) {
    Request r;
    r.method = c.method;
    r.target = c.target;
    r.body = c.body;
    r.remote = c.remote;
    if (!c.key.empty()) r.headers["authorization"] = "Bearer " + c.key;
    if (!c.cookie.empty()) r.headers["cookie"] = "theme=dark; atio_session=" + c.cookie;
    if (!c.csrf.empty()) r.headers["x-csrf-token"] = c.csrf;
    auto p = std::make_shared<std::promise<Response>>();
    auto f = p->get_future();
    router_->dispatch(std::move(r), [p](Response res) { p->set_value(std::move(res)); });
    if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      ADD_FAILURE() << c.method << " " << c.target << ": no answer";
      return Response{0};
    }
    return f.get();
  }

  // Creates a user with the test's admin key; returns its id.
  std::string create_user(const std::string& name, const std::string& role,
                          const std::string& password = "a long enough password") {
    Response r = call_json("POST", "/api/v1/users",
                           bj::object{{"name", name}, {"role", role}, {"password", password}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(body(r).at("id").as_string()) : "";
  }

  struct Login {
    Response response;
    std::string token;  // the cookie's value
    std::string csrf;
  };
  Login login(const std::string& name, const std::string& password = "a long enough password",
              const std::string& remote = "10.0.0.1") {
    Login l;
    l.response = send({"POST", "/api/v1/session",
                       json::dump(bj::object{{"name", name}, {"password", password}}), "", "", "",
                       remote});
    const std::string cookie = header(l.response, "Set-Cookie");
    const std::string prefix = "atio_session=";
    if (cookie.rfind(prefix, 0) == 0) {
      l.token = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
    }
    if (l.response.status == 200) {
      l.csrf = std::string(body(l.response).at("csrf_token").as_string());
    }
    return l;
  }

  store::AuditRecord last_record() {
    auto h = store_->audit_head();
    if (!h.is_ok() || h->seq == 0) return {};
    auto r = store_->get_audit(h->seq);
    return r.is_ok() && r->has_value() ? **r : store::AuditRecord{};
  }
};

}  // namespace atio::server::testing
