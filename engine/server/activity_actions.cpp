// CreateActivity, DescribeActivity, ListActivities, DeleteActivity and GetActivityTask, the
// workers' long poll on the host's activity queue (runtime/activity_queue.hpp).
#include <fmt/format.h>

#include "engine/durable/execution_record.hpp"
#include "engine/server/actions.hpp"
#include "engine/server/aws_json_protocol.hpp"
#include "engine/server/paging.hpp"
#include "engine/server/resource_arn.hpp"

namespace flowstate::server {

namespace json = boost::json;

namespace {

// AWS's bound on the concurrent GetActivityTask calls of one activity.
constexpr std::size_t kMaxPollers = 1000;
constexpr std::size_t kMaxWorkerNameLength = 80;

Activity find_activity(const ApiContext& context, std::string_view arn) {
  auto activity = context.activities.find(activity_name_of(arn));
  if (!activity || activity->arn() != arn)
    throw ApiError("ActivityDoesNotExist", fmt::format("Activity Does Not Exist: '{}'", arn));
  return std::move(*activity);
}

json::object described(const Activity& activity) {
  return json::object{{"activityArn", activity.arn()},
                      {"name", activity.name},
                      {"creationDate", epoch_seconds(activity.creation_date)}};
}

}  // namespace

awaitable<json::object> create_activity(ApiContext& context, const json::object& request) {
  std::string name = required_string(request, "name");
  if (auto problem = durable::name_problem(name))
    throw ApiError("InvalidName", fmt::format("Invalid Name: '{}' {}", name, *problem));
  // Idempotent by name, as AWS: a second CreateActivity answers the first one's activity.
  auto activity = context.activities.find(name);
  if (!activity) {
    activity = Activity{name, std::chrono::system_clock::now()};
    context.activities.put(*activity);
  }
  co_return json::object{{"activityArn", activity->arn()}, {"creationDate", epoch_seconds(activity->creation_date)}};
}

awaitable<json::object> describe_activity(ApiContext& context, const json::object& request) {
  co_return described(find_activity(context, required_string(request, "activityArn")));
}

awaitable<json::object> list_activities(ApiContext& context, const json::object& request) {
  Page page = requested_page(request);
  auto activities = context.activities.list();
  json::array items;
  for (std::size_t i = page.first; i < activities.size() && i < page.first + page.size; ++i)
    items.push_back(described(activities[i]));
  json::object out{{"activities", std::move(items)}};
  add_next_token(out, page, activities.size());
  co_return out;
}

awaitable<json::object> delete_activity(ApiContext& context, const json::object& request) {
  std::string arn = required_string(request, "activityArn");
  std::string name = activity_name_of(arn);
  if (auto activity = context.activities.find(name); activity && activity->arn() == arn)
    context.activities.erase(name);
  co_return json::object{};
}

awaitable<json::object> get_activity_task(ApiContext& context, const json::object& request) {
  Activity activity = find_activity(context, required_string(request, "activityArn"));
  std::string worker = optional_string(request, "workerName").value_or("");
  if (worker.size() > kMaxWorkerNameLength)
    throw ApiError("ValidationException",
                   fmt::format("1 validation error detected: Value at 'workerName' failed to satisfy constraint: "
                               "Member must have length less than or equal to {}",
                               kMaxWorkerNameLength));
  runtime::ActivityQueue& queue = context.host.activities();
  if (queue.pollers(activity.arn()) >= kMaxPollers)
    throw ApiError("ActivityWorkerLimitExceeded",
                   fmt::format("more than {} workers poll the activity '{}'", kMaxPollers, activity.arn()));
  auto task = co_await queue.take(activity.arn(), std::move(worker),
                                  std::chrono::steady_clock::now() + context.settings.activity_poll);
  // No task within the poll: AWS answers without a taskToken.
  if (!task) co_return json::object{};
  co_return json::object{{"taskToken", std::move(task->token)}, {"input", std::move(task->input)}};
}

}  // namespace flowstate::server
