#pragma once

#include <QJsonValue>
#include <QString>

namespace rk::pyjson {

// The host writes its JSON columns (limits_json, arguments, env_vars, required_gpus,
// numa_topology, gpu_info, ...) with Python's `json.dumps(value)` defaults: ", " and ": "
// separators and ensure_ascii (non-ASCII as \uXXXX escapes). Riverkeeper writes the same bytes,
// so a row it writes is indistinguishable from one the host wrote.
//
// Known difference: QJsonValue cannot tell 1.0 from 1 after parsing, so a float that is a whole
// number is written as an integer. The host's integer-valued fields are ints, so this is exact for
// the columns Riverkeeper writes. Object keys come out sorted (QJsonObject's order).
QString dumps(const QJsonValue &value);

} // namespace rk::pyjson
