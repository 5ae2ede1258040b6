// The journal's JSON form of step records, shared by every store backend.
//
// A backend stores the step records of one execution that commit together as
// one JSON array (one row per execution per commit instead of one row per
// record): far fewer rows and index entries for the same information. An
// element is an object with the StepRecord's fields; empty fields are left
// out, and so are "step_id" and "type" when the key and the id say them
// (the step id is the key's last segment less "#n"; the type is the id's
// prefix before "--"):
//   {"key":"parallel--x/1/action--y","status":"succeeded","started_at":1700000000000,"finished_at":...,
//    "inputs":{...},"outputs":{...},"variables":{...},"branch":"true",
//    "error":"..."}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/store/store.h"

namespace atio::store {

// One record as a JSON object (without execution_id). Moves the record's JSON
// members out, so their memory is released by the caller's thread.
std::string encode_step_record(StepRecord&& r);

// Appends the records of one journal row (a JSON array of encoded records)
// to `out`, with `execution_id` filled in. Errors name the row's problem.
Status decode_step_records(std::string_view array_text, const std::string& execution_id,
                           std::vector<StepRecord>* out);

// Folds records in journal order into one per step key (a step's latest
// record is its state), listed where each step first appeared.
std::vector<StepRecord> latest_per_step(std::vector<StepRecord> records);

}  // namespace atio::store
