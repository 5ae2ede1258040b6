// The floor for `atio convert` on NDJSON: the same JSON library (Boost.JSON,
// parser and monotonic buffer reused per record as atio does) only parsing
// each line and serialising it back, with the same 1 MiB buffered writes.
// Usage: json_floor IN.ndjson OUT.ndjson
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serializer.hpp>

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: json_floor IN OUT\n");
    return 2;
  }
  std::FILE* in = std::fopen(argv[1], "rb");
  std::FILE* out = std::fopen(argv[2], "wb");
  if (!in || !out) return 2;
  std::string buf, pending, obuf;
  buf.resize(1 << 20);
  unsigned char scratch[4096];
  boost::json::monotonic_resource mr(scratch, sizeof scratch);
  boost::json::parser parser;
  long records = 0;
  auto handle = [&](const char* p, std::size_t n) {
    mr.release();
    parser.reset(boost::json::storage_ptr(&mr));
    boost::system::error_code ec;
    parser.write(p, n, ec);
    if (ec) return;
    const boost::json::value v = parser.release();
    boost::json::serializer sr;
    sr.reset(&v);
    char chunk[8192];
    while (!sr.done()) obuf.append(sr.read(chunk));
    obuf.push_back('\n');
    if (obuf.size() >= (1 << 20)) {
      std::fwrite(obuf.data(), 1, obuf.size(), out);
      obuf.clear();
    }
    ++records;
  };
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), in)) > 0) {
    pending.append(buf.data(), n);
    std::size_t start = 0;
    for (;;) {
      const void* nl = std::memchr(pending.data() + start, '\n', pending.size() - start);
      if (!nl) break;
      const std::size_t end = static_cast<const char*>(nl) - pending.data();
      if (end > start) handle(pending.data() + start, end - start);
      start = end + 1;
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) handle(pending.data(), pending.size());
  std::fwrite(obuf.data(), 1, obuf.size(), out);
  std::fclose(out);
  std::fprintf(stderr, "%ld records\n", records);
  return 0;
}
