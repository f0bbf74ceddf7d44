// ActivityRegistry: the activities created through the API (CreateActivity), kept in the
// store under keys::activity(NAME) as JSON {"name", "creationDate" (ms since the epoch)}. Workers poll an activity by its ARN (GetActivityTask); a Task whose Resource is
// that ARN schedules work for them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/store.hpp"

namespace flowstate::server {

struct Activity {
  std::string name;
  std::chrono::system_clock::time_point creation_date;

  std::string arn() const;
};

class ActivityRegistry {
 public:
  explicit ActivityRegistry(store::Store& store) : store_(store) {}

  std::optional<Activity> find(std::string_view name) const;
  /// The activity an ARN names exactly (region and account included), or nullopt.
  std::optional<Activity> find_arn(std::string_view arn) const;
  /// Every activity, by name.
  std::vector<Activity> list() const;
  void put(const Activity& activity);
  void erase(std::string_view name);

 private:
  store::Store& store_;
};

}  // namespace flowstate::server
