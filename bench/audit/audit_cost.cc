// What an audit record adds to a change, at the store: THREADS writers (as
// the API's concurrent requests) each make WRITES changes (an asset put, as
// PUT /api/v1/assets/{id} makes), first without and then with the audit
// record the API puts in the same batch (hash-chained on the writer thread).
// Durable as atio serve runs (synchronous=full, group commit).
// Usage: audit_cost DIR THREADS WRITES
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "atio/store/sqlite/sqlite_store.h"

using namespace atio;

namespace {

double run(const std::string& path, int threads, int writes, bool audited) {
  store::SqliteOptions o;
  o.path = path;
  auto st = store::open_sqlite_store(o);
  if (!st.is_ok()) {
    std::fprintf(stderr, "%s\n", st.status().to_string().c_str());
    std::exit(1);
  }
  auto& s = **st;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < writes; ++i) {
        store::AssetRecord a;
        a.id = "asset-" + std::to_string(t) + "-" + std::to_string(i % 100);
        a.name = "web server " + std::to_string(i);
        a.document = boost::json::object{{"id", a.id}, {"name", a.name},
                                         {"ips", boost::json::array{"10.0.0." + std::to_string(i % 250)}},
                                         {"criticality", "high"}};
        a.updated_at_ms = i;
        std::vector<store::WriteOp> ops{store::PutAsset{a}};
        if (audited) {
          store::AuditRecord r;
          r.actor = "4786f22a-aa24-4f4a-bd03-de4e42e837a3";
          r.actor_kind = "key";
          r.actor_name = "admin";
          r.role = "admin";
          r.source_ip = "127.0.0.1";
          r.user_agent = "bench";
          r.action = "asset.update";
          r.object_type = "asset";
          r.object_id = a.id;
          r.outcome = "success";
          r.detail = "{}";
          ops.push_back(store::AppendAudit{r});
        }
        if (Status w = s.write(std::move(ops)); !w.is_ok()) {
          std::fprintf(stderr, "%s\n", w.to_string().c_str());
          std::exit(1);
        }
      }
    });
  }
  for (auto& t : ts) t.join();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  s.close();
  return threads * writes / secs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: audit_cost DIR THREADS WRITES\n");
    return 2;
  }
  const std::string dir = argv[1];
  const int threads = std::atoi(argv[2]), writes = std::atoi(argv[3]);
  const double plain = run(dir + "/plain.db", threads, writes, false);
  const double audited = run(dir + "/audited.db", threads, writes, true);
  std::printf("store writes/s without the audit record %.0f, with it %.0f (%.1f %% fewer)\n",
              plain, audited, 100.0 * (plain - audited) / plain);
  return 0;
}
