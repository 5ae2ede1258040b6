#include "atio/actions/lua/sandbox.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "atio/core/json.h"

namespace atio::actions {
namespace {

bj::object obj(std::string_view text) { return bj::parse(text).as_object(); }

Result<bj::value> run(std::string_view script, const bj::object& args = {},
                      const LuaLimits& limits = {}) {
  return run_lua_transform(script, args, limits);
}

TEST(LuaSandbox, ReshapesSuricataAlertsFromTheCorpus) {
  auto doc = json::parse_file(std::string(ATIO_CORPUS_DIR) +
                              "/suricata-eve/alerts/frankhassanabad-first-org-conf-2015.alerts-only.json");
  ASSERT_TRUE(doc.is_ok()) << doc.status().to_string();
  const char* script = R"(
    local e = args.__event__
    local a = e.alert
    return { __out__ = {
      signature = a.signature,
      sid = a.signature_id,
      severity = ({"high", "medium", "low"})[a.severity] or "info",
      src = e.src_ip .. ":" .. tostring(e.src_port),
      dst = e.dest_ip .. ":" .. tostring(e.dest_port),
      flow_id = e.flow_id,
      tags = { e.proto, a.category },
    } })";
  std::size_t checked = 0;
  for (const auto& event : doc->as_array()) {
    const auto& e = event.as_object();
    bj::object args;
    args["__event__"] = e;
    auto out = run(script, args);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    const auto& r = out->at("__out__").as_object();
    const auto& alert = e.at("alert").as_object();
    EXPECT_EQ(r.at("signature"), alert.at("signature"));
    EXPECT_EQ(r.at("sid"), alert.at("signature_id"));
    std::int64_t sev = alert.at("severity").as_int64();
    EXPECT_EQ(r.at("severity").as_string(),
              sev == 1 ? "high" : sev == 2 ? "medium" : sev == 3 ? "low" : "info");
    EXPECT_EQ(r.at("src").as_string(), std::string(e.at("src_ip").as_string()) + ":" +
                                           std::to_string(e.at("src_port").as_int64()));
    EXPECT_EQ(r.at("flow_id"), e.at("flow_id"));
    EXPECT_EQ(r.at("tags").as_array().size(), 2u);
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

TEST(LuaSandbox, Int64StaysExact) {
  // Real flow ids use all 64 bits; 2^62 + 12345 is not representable as a double.
  bj::object args;
  args["__flow__"] = std::int64_t{4611686018427400249};
  auto out = run("return { same = args.__flow__, next = args.__flow__ + 1,"
                 " is_int = math.type(args.__flow__) == 'integer' }", args);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->at("same").as_int64(), 4611686018427400249);
  EXPECT_EQ(out->at("next").as_int64(), 4611686018427400250);
  EXPECT_TRUE(out->at("is_int").as_bool());
}

TEST(LuaSandbox, ArraysAndObjectsRoundTrip) {
  bj::object args = obj(R"({"v":{"arr":[1,2,3],"empty_arr":[],"empty_obj":{},
      "nested":[{"a":[]},{"b":{}}],"nulls":[1,null,3],"str_keys":{"1":"a","2":"b"},
      "pi":3.25,"t":true,"s":"\u00e9t\u00e9"}})");
  auto out = run("return { v = args.v }", args);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->at("v"), args.at("v")) << bj::serialize(*out);
}

TEST(LuaSandbox, TablesBuiltInLuaConvertByShape) {
  auto out = run(R"(return {
    seq = {10, 20, 30}, empty = {}, marked = json.array(), holes = {[1] = "a", [3] = "c"},
    whole = 10 / 2, half = 1 / 2, big = 2^60, mixed = {1, 2, x = 3} })");
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(bj::serialize(*out),
            R"({"big":1.152921504606847E18,"empty":{},"half":5E-1,)"
            R"("holes":{"1":"a","3":"c"},"marked":[],"mixed":{"1":1,"2":2,"x":3},)"
            R"("seq":[10,20,30],"whole":5})");
}

TEST(LuaSandbox, DangerousLibrariesAreAbsent) {
  for (const char* name : {"io", "os", "require", "debug", "package", "dofile", "loadfile"}) {
    auto out = run(std::string("return { present = ") + name + " ~= nil }");
    ASSERT_TRUE(out.is_ok()) << name;
    EXPECT_FALSE(out->at("present").as_bool()) << name;
  }
  auto call = run("local f = io.open('/etc/passwd')\nreturn {}");
  EXPECT_EQ(call.status().code(), Code::kFailed);
  EXPECT_EQ(call.status().message(), "line 1: attempt to index a nil value (global 'io')");
  EXPECT_NE(run("require('os')\nreturn {}").status().message().find("global 'require'"),
            std::string::npos);
  EXPECT_NE(run("os.execute('true') return {}").status().message().find("global 'os'"),
            std::string::npos);
  EXPECT_FALSE(run("return { d = string.dump(function() end) }").is_ok());
}

TEST(LuaSandbox, LoadAcceptsTextOnly) {
  auto text = run("local f = load('return 1 + 1') return { v = f() }");
  ASSERT_TRUE(text.is_ok()) << text.status().to_string();
  EXPECT_EQ(text->at("v").as_int64(), 2);
  // A binary chunk header ("\27Lua") is refused even when mode "b" is asked for.
  auto binary = run(R"(local f, err = load("\27Lua\84\0", "x", "b") return { f = f == nil, err = err })");
  ASSERT_TRUE(binary.is_ok()) << binary.status().to_string();
  EXPECT_TRUE(binary->at("f").as_bool());
  EXPECT_NE(std::string(binary->at("err").as_string()).find("binary"), std::string::npos);
}

TEST(LuaSandbox, InfiniteLoopStopsAtTheBudget) {
  auto out = run("while true do end");
  EXPECT_EQ(out.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(out.status().message(), "instruction budget of 1000000 exceeded");
}

TEST(LuaSandbox, BudgetCannotBeSwallowedByPcall) {
  auto out = run("while true do pcall(function() while true do end end) end");
  EXPECT_EQ(out.status().code(), Code::kResourceExhausted);
  auto co = run(R"(
    local co = coroutine.create(function() while true do end end)
    local ok = coroutine.resume(co)
    return { ok = ok })");
  EXPECT_EQ(co.status().code(), Code::kResourceExhausted);
}

TEST(LuaSandbox, BudgetIsConfigurable) {
  LuaLimits small;
  small.instructions = 5000;
  EXPECT_TRUE(run("local s = 0 for i = 1, 100 do s = s + i end return {s = s}", {}, small).is_ok());
  auto out = run("local s = 0 for i = 1, 100000 do s = s + i end return {s = s}", {}, small);
  EXPECT_EQ(out.status().message(), "instruction budget of 5000 exceeded");
}

TEST(LuaSandbox, MemoryBombStopsAtTheCap) {
  auto out = run("local t = {} for i = 1, 1e8 do t[i] = string.rep('x', 4096) .. i end return t");
  EXPECT_EQ(out.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(out.status().message(), "memory limit of 16777216 bytes exceeded");
  auto doubling = run("local s = 'x' while true do s = s .. s end");
  EXPECT_EQ(doubling.status().message(), "memory limit of 16777216 bytes exceeded");
  auto swallowed = run("local t = {} while true do pcall(function() t[#t + 1] = string.rep('x', 1 << 20) end) end");
  EXPECT_EQ(swallowed.status().code(), Code::kResourceExhausted);
  auto rep = run("return { s = string.rep('x', 1 << 30) }");
  EXPECT_EQ(rep.status().message(), "memory limit of 16777216 bytes exceeded");
}

TEST(LuaSandbox, JsonDecodeIsChargedToTheCap) {
  LuaLimits limits;
  limits.memory_bytes = 1 << 20;
  auto out = run("local s = '[' .. string.rep('1,', 100000) .. '1]'\n"
                 "return { n = #json.decode(s) }", {}, limits);
  EXPECT_EQ(out.status().code(), Code::kResourceExhausted) << out.status().to_string();
}

TEST(LuaSandbox, SyntaxErrorNamesTheLine) {
  auto out = run("local x = 1\nlocal y = 2\nreturn { x = }");
  EXPECT_EQ(out.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(out.status().message().rfind("line 3: unexpected symbol near '}'", 0), 0u)
      << out.status().message();
  Status check = check_lua_syntax("if x then");
  EXPECT_EQ(check.code(), Code::kInvalidArgument);
  EXPECT_EQ(check.message().rfind("line 1:", 0), 0u) << check.message();
  EXPECT_TRUE(check_lua_syntax("return {}").is_ok());
}

TEST(LuaSandbox, RuntimeErrorNamesTheLine) {
  auto out = run("local a = nil\n\nreturn a.b");
  EXPECT_EQ(out.status().code(), Code::kFailed);
  EXPECT_EQ(out.status().message(), "line 3: attempt to index a nil value (local 'a')");
  auto custom = run("\nerror('bad input')");
  EXPECT_EQ(custom.status().message(), "line 2: bad input");
}

TEST(LuaSandbox, JsonEncodeDecode) {
  auto out = run(R"(
    local v = json.decode('{"b":[1,2,{"c":null}],"a":"x","e":[],"f":{}}')
    return {
      text = json.encode(v),
      is_null = v.b[3].c == json.null,
      n = #v.b,
      scalar = json.encode("he said \"hi\""),
      top_null = json.encode(json.null),
    })");
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->at("text").as_string(), R"({"a":"x","b":[1,2,{"c":null}],"e":[],"f":{}})");
  EXPECT_TRUE(out->at("is_null").as_bool());
  EXPECT_EQ(out->at("n").as_int64(), 3);
  EXPECT_EQ(out->at("scalar").as_string(), R"("he said \"hi\"")");
  EXPECT_EQ(out->at("top_null").as_string(), "null");
}

TEST(LuaSandbox, JsonErrorsAreCatchableAndClear) {
  auto out = run(R"(
    local ok1, e1 = pcall(json.decode, '{"a":')
    local ok2, e2 = pcall(json.encode, { f = print })
    local t = {} t.self = t
    local ok3, e3 = pcall(json.encode, t)
    local ok4, e4 = pcall(json.encode, 0/0)
    return { e1 = e1, e2 = e2, e3 = e3, e4 = e4, any = ok1 or ok2 or ok3 or ok4 })");
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_FALSE(out->at("any").as_bool());
  EXPECT_NE(std::string(out->at("e1").as_string()).find("json.decode"), std::string::npos);
  EXPECT_NE(std::string(out->at("e2").as_string()).find("cannot convert a function to JSON (at /f)"),
            std::string::npos);
  EXPECT_NE(std::string(out->at("e3").as_string()).find("cycle (at /self)"), std::string::npos);
  EXPECT_NE(std::string(out->at("e4").as_string()).find("NaN"), std::string::npos);
}

TEST(LuaSandbox, UnconvertibleResultsFail) {
  EXPECT_NE(run("local t = {} t.me = t return t").status().message().find("cycle"),
            std::string::npos);
  EXPECT_NE(run("return { x = 1/0 }").status().message().find("infinity"), std::string::npos);
  EXPECT_NE(run("return { s = '\\xff' }").status().message().find("UTF-8 (at /s)"),
            std::string::npos);
  EXPECT_NE(run("return { [true] = 1 }").status().message().find("boolean key"),
            std::string::npos);
  EXPECT_NE(run("return 42").status().message().find("must return a table, got number"),
            std::string::npos);
  LuaLimits shallow;
  shallow.max_depth = 3;
  EXPECT_NE(run("return { a = { b = { c = { d = 1 } } } }", {}, shallow)
                .status().message().find("nesting deeper than 3"),
            std::string::npos);
}

TEST(LuaSandbox, ArgsAreAlsoTheFirstVararg) {
  bj::object args = obj(R"({"__event__":{"id":7}})");
  auto out = run("local a = ...\nreturn { same = a == args, id = a.__event__.id }", args);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_TRUE(out->at("same").as_bool());
  EXPECT_EQ(out->at("id").as_int64(), 7);
}

TEST(LuaSandbox, EachRunStartsFresh) {
  ASSERT_TRUE(run("leaked = 1 string.upper = nil return {}").is_ok());
  auto out = run("return { leaked = leaked ~= nil, upper = string.upper('a') }");
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_FALSE(out->at("leaked").as_bool());
  EXPECT_EQ(out->at("upper").as_string(), "A");
}

TEST(LuaSandbox, PrintGoesToTheLog) {
  LuaRunContext context;
  auto out = run_lua_transform("print('a', 1, nil, true) print() return {}", {}, {}, &context);
  ASSERT_TRUE(out.is_ok());
  ASSERT_EQ(context.log.size(), 2u);
  EXPECT_EQ(context.log[0], "a\t1\tnil\ttrue");
  EXPECT_EQ(context.log[1], "");
  LuaLimits limits;
  limits.max_log_bytes = 10;
  LuaRunContext small;
  ASSERT_TRUE(run_lua_transform("for i = 1, 100 do print('0123456789') end return {}", {}, limits,
                                &small).is_ok());
  ASSERT_EQ(small.log.size(), 2u);
  EXPECT_EQ(small.log.back(), "[log truncated]");
}

TEST(LuaSandbox, CancelAndDeadlineStopTheScript) {
  CancelToken token;
  token.cancel();
  LuaRunContext cancelled;
  cancelled.cancel = &token;
  auto a = run_lua_transform("while true do end", {}, {}, &cancelled);
  EXPECT_EQ(a.status().code(), Code::kAborted);
  LuaRunContext late;
  late.deadline = std::chrono::steady_clock::now();
  LuaLimits unlimited;
  unlimited.instructions = UINT64_MAX / 2;
  auto b = run_lua_transform("while true do end", {}, unlimited, &late);
  EXPECT_EQ(b.status().code(), Code::kTimeout);
}

TEST(LuaSandbox, FinalizersAreRefused) {
  // Lua runs __gc with hooks off: a finalizer would escape the budget.
  auto out = run("setmetatable({}, { __gc = function() while true do end end }) return {}");
  EXPECT_EQ(out.status().code(), Code::kFailed);
  EXPECT_NE(out.status().message().find("__gc metamethods are not allowed"), std::string::npos);
  auto marker = run("local mt = getmetatable(json.array())\n"
                    "return { hidden = mt == 'json.array',"
                    " ok = pcall(setmetatable, json.array(), {}) }");
  ASSERT_TRUE(marker.is_ok()) << marker.status().to_string();
  EXPECT_TRUE(marker->at("hidden").as_bool());
  EXPECT_FALSE(marker->at("ok").as_bool());  // protected metatable
  auto plain = run("local t = setmetatable({}, { __index = function() return 7 end })\n"
                   "return { v = t.anything }");
  ASSERT_TRUE(plain.is_ok()) << plain.status().to_string();
  EXPECT_EQ(plain->at("v").as_int64(), 7);
}

}  // namespace
}  // namespace atio::actions
