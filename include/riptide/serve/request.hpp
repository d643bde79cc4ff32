// riptide/serve/request.hpp: the body of a prediction request, checked and decoded.
//
// A request is Vertex AI's shape: {"instances": [raw record objects, ...]}, each instance an
// object of the raw export's fields (strings or numbers, as a JSON Lines record). decode_request
// parses it with simdjson and either gives the instances as JSON Lines text (one minified object
// per line, read by io::read_jsonl_text: the same decoding as a JSON Lines file) or a client
// error: an HTTP status (400) and a message naming the problem (empty body, malformed JSON with
// simdjson's reason, nesting deeper than max_depth, not an object, "instances" missing, not an
// array, empty, an instance that is not an object: "instances[3]: expected an object, got a
// number"). Problems inside an instance (a field cleansing rejects, a missing column) are not
// request errors: they come back per instance from the predictor.
// Parameters (defaults): max_depth (32 levels of nesting).
//
// Example:
//   const auto ok = riptide::serve::decode_request(R"({"instances": [{"n": 3}, {"n": "7"}]})");
//   const std::string lines = "{\"n\":3}\n{\"n\":\"7\"}\n";
//   if (ok.error || ok.count != 2 || ok.lines != lines) std::abort();
//   const auto bad = riptide::serve::decode_request(R"({"instances": {"n": 3}})");
//   if (!bad.error || bad.error->status != 400) std::abort();
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace riptide::serve {

/// A request the client must fix: the HTTP status and what is wrong.
struct request_error {
  int status = 400;
  std::string message;
};

struct decoded_request {
  std::string lines;      ///< the instances as JSON Lines text
  std::size_t count = 0;  ///< instances
  std::optional<request_error> error;
};

namespace detail {

inline std::string_view json_kind(simdjson::dom::element_type t) noexcept {
  switch (t) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      return "a number";
    case simdjson::dom::element_type::STRING:
      return "a string";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

inline decoded_request refuse(std::string message) {
  decoded_request d;
  d.error = request_error{400, std::move(message)};
  return d;
}

}  // namespace detail

/// Checks and decodes a predict request body (see the header comment).
inline decoded_request decode_request(std::string_view body, std::size_t max_depth = 32) {
  using detail::refuse;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return refuse(R"(empty body: expected {"instances": [...]})");
  simdjson::dom::parser parser;
  if (parser.allocate(body.size(), max_depth) != simdjson::SUCCESS)
    return refuse("the body cannot be parsed (too large)");
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (const auto e = parser.parse(padded).get(root); e != simdjson::SUCCESS) {
    if (e == simdjson::DEPTH_ERROR)
      return refuse(std::string("malformed JSON: nested deeper than ")
                        .append(std::to_string(max_depth))
                        .append(" levels"));
    return refuse(std::string("malformed JSON: ").append(simdjson::error_message(e)));
  }
  simdjson::dom::object top;
  if (root.get(top) != simdjson::SUCCESS)
    return refuse(std::string(R"(expected a JSON object {"instances": [...]}, got )")
                      .append(detail::json_kind(root.type())));
  simdjson::dom::element instances;
  if (top["instances"].get(instances) != simdjson::SUCCESS)
    return refuse(R"("instances" is missing: expected {"instances": [...]})");
  simdjson::dom::array list;
  if (instances.get(list) != simdjson::SUCCESS)
    return refuse(std::string(R"("instances" must be an array, got )")
                      .append(detail::json_kind(instances.type())));
  decoded_request d;
  std::size_t i = 0;
  for (const auto item : list) {
    if (item.type() != simdjson::dom::element_type::OBJECT) {
      std::string m = "instances[";
      m.append(std::to_string(i)).append("]: expected an object, got ");
      m.append(detail::json_kind(item.type()));
      return refuse(std::move(m));
    }
    d.lines += simdjson::minify(item);
    d.lines += '\n';
    ++i;
  }
  if (i == 0) return refuse(R"("instances" is empty)");
  d.count = i;
  return d;
}

}  // namespace riptide::serve
