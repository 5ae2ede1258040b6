// The OpenAPI document covers every route the router serves.
#include "atio/server/api/openapi.h"
#include "server_test_support.h"

namespace atio::server::testing {
namespace {

class OpenApiTest : public ServerTest {};

void collect_refs(const bj::value& v, std::vector<std::string>* out) {
  if (v.is_object()) {
    for (const auto& kv : v.as_object()) {
      if (kv.key() == "$ref" && kv.value().is_string()) out->push_back(std::string(kv.value().as_string()));
      collect_refs(kv.value(), out);
    }
  } else if (v.is_array()) {
    for (const auto& x : v.as_array()) collect_refs(x, out);
  }
}

TEST_F(OpenApiTest, EveryRouteIsDocumented) {
  Response r = call("GET", "/api/v1/openapi.json", "", {}, false);
  ASSERT_EQ(r.status, 200);
  bj::value doc = body(r);
  EXPECT_EQ(doc.at("openapi"), "3.0.3");
  const auto& paths = doc.at("paths").as_object();
  std::set<std::string> operation_ids;
  for (const Route& route : router_->routes()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string path = openapi_path(route.pattern);
    ASSERT_TRUE(paths.contains(path)) << path;
    ASSERT_TRUE(paths.at(path).as_object().contains(method)) << method << " " << path;
    const auto& op = paths.at(path).at(method).as_object();
    EXPECT_TRUE(operation_ids.insert(std::string(op.at("operationId").as_string())).second)
        << "duplicate operationId on " << path;
    EXPECT_TRUE(op.contains("responses"));
    // Every {param} of the path is declared.
    for (std::size_t p = path.find('{'); p != std::string::npos; p = path.find('{', p + 1)) {
      std::string name = path.substr(p + 1, path.find('}', p) - p - 1);
      bool declared = false;
      for (const auto& prm : op.at("parameters").as_array()) {
        declared = declared || (prm.at("name") == bj::value(name) && prm.at("in") == "path");
      }
      EXPECT_TRUE(declared) << name << " in " << path;
    }
    if (route.auth == Auth::kApiKey) {
      EXPECT_TRUE(op.at("responses").as_object().contains("401")) << path;
      EXPECT_TRUE(op.at("responses").as_object().contains("403")) << path;
      // The permission the router enforces, as the document states it.
      ASSERT_TRUE(op.contains("x-atio-permission")) << path;
      EXPECT_EQ(op.at("x-atio-permission"), bj::value(auth::permission_name(route.permission)))
          << path;
    } else {
      EXPECT_FALSE(op.contains("x-atio-permission")) << path;
    }
  }
  // And nothing is documented that is not routed.
  std::size_t documented = 0;
  for (const auto& p : paths) documented += p.value().as_object().size();
  EXPECT_EQ(documented, router_->routes().size());
  for (const char* must : {"/healthz", "/api/v1/playbooks", "/api/v1/hooks/{id}",
                           "/api/v1/executions/{id}/steps/{step_key}/answer", "/api/v1/schedules"}) {
    EXPECT_TRUE(paths.contains(must)) << must;
  }
}

TEST_F(OpenApiTest, EveryReferenceResolves) {
  bj::value doc = body(call("GET", "/api/v1/openapi.json", "", {}, false));
  std::vector<std::string> refs;
  collect_refs(doc, &refs);
  EXPECT_GT(refs.size(), 20u);
  const auto& schemas = doc.at("components").at("schemas").as_object();
  for (const auto& ref : refs) {
    const std::string prefix = "#/components/schemas/";
    ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
    EXPECT_TRUE(schemas.contains(ref.substr(prefix.size()))) << ref;
  }
  const auto& security = doc.at("components").at("securitySchemes").as_object();
  for (const char* s : {"bearerAuth", "apiKeyHeader", "sessionCookie", "hookBearer", "hookToken",
                        "hookSignature"}) {
    EXPECT_TRUE(security.contains(s)) << s;
  }
}

TEST_F(OpenApiTest, HealthNeedsNoKey) {
  Response r = call("GET", "/healthz", "", {}, false);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body(r).at("status"), "ok");
}

}  // namespace
}  // namespace atio::server::testing
