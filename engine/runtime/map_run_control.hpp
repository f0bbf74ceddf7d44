// MapRunControl: the settings of a running Map Run that UpdateMapRun changes while it runs —
// its maxConcurrency and tolerated failure threshold — and MapRunControls, the Map Runs running
// in one process by ARN, where the server finds the one an UpdateMapRun names.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace flowstate::runtime {

/// The limits a Map Run runs with: the Map state's (MaxConcurrency, ToleratedFailureCount,
/// ToleratedFailurePercentage, as evaluated when the run started) until an UpdateMapRun
/// changes them. A threshold not given is absent, not 0: with neither, no failure is tolerated.
struct MapRunLimits {
  std::int64_t max_concurrency = 0;  ///< 0: AWS's ceiling
  std::optional<std::int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
};

/// An UpdateMapRun's changes: each member given replaces the running value.
struct MapRunUpdate {
  std::optional<std::int64_t> max_concurrency;
  std::optional<std::int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;

  void apply_to(MapRunLimits& limits) const;
};

class MapRunControls {
 public:
  using Apply = std::function<void(const MapRunUpdate&)>;

  /// While it lives, the Map Run `arn` takes updates through `apply`.
  class Registration {
   public:
    Registration(MapRunControls& controls, std::string arn, Apply apply);
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration();

   private:
    MapRunControls& controls_;
    std::string arn_;
  };

  /// Hands `update` to the Map Run `arn`; false when it does not run in this process.
  bool update(std::string_view arn, const MapRunUpdate& update);
  bool running(std::string_view arn) const { return running_.find(arn) != running_.end(); }

 private:
  std::map<std::string, Apply, std::less<>> running_;
};

}  // namespace flowstate::runtime
