// A store that a `flowstate server` holds: `run`, `resume` and `redrive` cannot open it for
// writing, so they hand the execution to that server (its local actions, with the store's
// key) and follow it in the store — its task logs and the states it enters as it runs, then
// its result, as if it ran here; Ctrl-C (or SIGTERM, SIGHUP, SIGQUIT) stops it.
#pragma once

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "engine/server/server_presence.hpp"
#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/progress_option.hpp"
#include "tools/flowstate/result_format.hpp"
#include "tools/flowstate/store_settings.hpp"

namespace flowstate::cli {

/// The server that holds the store of `settings` now, or nullopt.
std::optional<server::ServerPresence> serving_server(const StoreSettings& settings);

/// Calls the local `action` ("StartDefinition", "ResumeExecution", "RedriveExecution") with
/// `request`, then follows the execution it started until it ends, printing its task logs
/// (unless `quiet`), a plain line per state it enters (outside Map iterations) unless
/// `progress` is none, and its result in `format`.
ExitCode run_in_server(const server::ServerPresence& server, const StoreSettings& store, std::string_view action,
                       const boost::json::object& request, bool quiet, ProgressMode progress, ResultFormat format);

}  // namespace flowstate::cli
