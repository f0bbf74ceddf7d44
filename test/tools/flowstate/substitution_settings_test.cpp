// --substitute NAME=VALUE and --substitutions FILE on run, validate, test-state and server:
// ${Name} placeholders filled as CloudFormation's DefinitionSubstitutions fill them, kept
// filled in the store (resume and redrive need no flags), and passed to nested definitions.
// The real binary on real files, a real server on 127.0.0.1.
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "test/harness/api_server.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;
using test::TempDir;

// A placeholder inside a JSON string, one standing for a number, and a literal ${!HOME}.
constexpr const char* kJob = R"({"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Result": {"table": "${Table}", "region": "${AWS::Region}", "literal": "${!HOME}", "limit": ${Limit}},
  "End": true}}})";

boost::json::value output_of(const test::CliResult& result) {
  auto parsed = data::parse_json(result.out);
  return parsed ? *parsed : boost::json::value();
}

TEST_CASE("flowstate run --substitute: placeholders are filled before parsing, verbatim, ${!X} is literal",
          "[cli][substitutions]") {
  TempDir dir;
  auto file = dir.write("job.asl.json", kJob).string();
  auto filled = run_flowstate({"run", "--no-store", "-q", "--substitute", "Table=jobs", "--substitute",
                               "AWS::Region=eu-west-1", "--substitute", "Limit=5", file});
  INFO(filled.err);
  CHECK(filled.exit_code == 0);
  CHECK(output_of(filled) ==
        *data::parse_json(R"({"table": "jobs", "region": "eu-west-1", "literal": "${HOME}", "limit": 5})"));

  // A file (YAML or JSON) gives values; --substitute wins over it.
  auto yaml = dir.write("values.yaml", "Table: from-file\n'AWS::Region': r\nLimit: 7\n").string();
  auto json = dir.write("values.json", R"({"Table": "t", "AWS::Region": "r", "Limit": 1.5})").string();
  auto from_yaml = run_flowstate({"run", "--no-store", "-q", "--substitutions", yaml, file, "--substitute", "Table=x"});
  CHECK(output_of(from_yaml) ==
        *data::parse_json(R"({"table": "x", "region": "r", "literal": "${HOME}", "limit": 7})"));
  auto from_json = run_flowstate({"run", "--no-store", "-q", "--substitutions", json, file});
  CHECK(output_of(from_json) ==
        *data::parse_json(R"({"table": "t", "region": "r", "literal": "${HOME}", "limit": 1.5})"));
}

TEST_CASE("flowstate run: an unfilled placeholder is refused, naming it and its line:column",
          "[cli][substitutions]") {
  TempDir dir;
  auto file = dir.write("job.json", kJob).string();
  auto refused = run_flowstate({"run", "--no-store", "-q", "--substitute", "Table=jobs", file});
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err == file + ":2:46: error: the placeholder ${AWS::Region} has no value; give it with --substitute "
                              "AWS::Region=VALUE or in a --substitutions file, or write ${!AWS::Region} for the "
                              "literal text ${AWS::Region}\n" +
                          file + ":2:95: error: the placeholder ${Limit} has no value; give it with --substitute "
                                 "Limit=VALUE or in a --substitutions file, or write ${!Limit} for the literal text "
                                 "${Limit}\n");
}

TEST_CASE("flowstate run --substitute: a problem after a filled value is reported where it is in the file",
          "[cli][substitutions]") {
  TempDir dir;
  auto file = dir.write("job.json", R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${Long}", "Next": "Nope"}}})")
                  .string();
  auto refused = run_flowstate({"run", "--no-store", "--substitute", "Long=" + std::string(50, 'x'), file});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == file + ":1:80: error: 'Next' of state 'P' names the state 'Nope', which is not in the same "
                              "'States' block\n");
}

TEST_CASE("flowstate run --substitute/--substitutions: a malformed pair or file is refused with its position",
          "[cli][substitutions]") {
  TempDir dir;
  auto file = dir.write("job.json", kJob).string();
  auto pair = run_flowstate({"run", "--no-store", "--substitute", "Table", file});
  CHECK(pair.exit_code == 2);
  CHECK(pair.err == "flowstate: error: --substitute 'Table': expected NAME=VALUE, NAME being letters, digits, '_', "
                    "'.' and ':' (the NAME of a ${NAME} placeholder)\n");
  auto values = dir.write("values.yaml", "Table: [a, b]\nbad name: x\n").string();
  auto bad = run_flowstate({"run", "--no-store", "--substitutions", values, file});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == values + ":1:8: error: the value of 'Table' must be a string, number or boolean\n" + values +
                       ":2:1: error: 'bad name' cannot be a placeholder's name: a name is letters, digits, '_', '.' "
                       "and ':'\n");
  auto missing = run_flowstate({"run", "--no-store", "--substitutions", (dir.path() / "none.yaml").string(), file});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot read the substitutions file") != std::string::npos);
}

TEST_CASE("flowstate validate: without substitutions, placeholders are listed as warnings (exit 0), with "
          "some, an unfilled one is an error",
          "[cli][substitutions][validate]") {
  TempDir dir;
  auto file = dir.write("job.yaml", "StartAt: P\nStates:\n  P:\n    Type: Pass\n    Result: {t: '${Table}', "
                                    "u: '${User}'}\n    End: true\n")
                  .string();
  auto warned = run_flowstate({"validate", file});
  CHECK(warned.exit_code == 0);
  CHECK(warned.err == file + ":5:18: warning: the placeholder ${Table} is not filled: CloudFormation fills it from "
                             "DefinitionSubstitutions; `flowstate run` needs --substitute Table=VALUE or a "
                             "--substitutions file\n" +
                         file + ":5:33: warning: the placeholder ${User} is not filled: CloudFormation fills it "
                                "from DefinitionSubstitutions; `flowstate run` needs --substitute User=VALUE or a "
                                "--substitutions file\n");
  auto partly = run_flowstate({"validate", "--substitute", "Table=t", file});
  CHECK(partly.exit_code == 2);
  CHECK(partly.err == file + ":5:33: error: the placeholder ${User} has no value; give it with --substitute "
                             "User=VALUE or in a --substitutions file, or write ${!User} for the literal text "
                             "${User}\n");
  auto all = run_flowstate({"validate", "--substitute", "Table=t", "--substitute", "User=u", file});
  CHECK(all.exit_code == 0);
  CHECK(all.err.empty());
}

TEST_CASE("flowstate run: the store keeps the filled definition, so redrive needs no flags, and a nested "
          "definition is filled with the parent's values",
          "[cli][substitutions]") {
  TempDir dir;
  std::string store = (dir.path() / "store").string();
  // The child fails until `flag` exists next to the definitions; its placeholder names it.
  dir.write("child.asl.yaml", R"(StartAt: Check
States:
  Check:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Shell: true, Command: "test -e ${Flag} && echo '\"${Greeting}\"'"}
    End: true
)");
  auto parent = dir.write("parent.yaml", R"(StartAt: Child
States:
  Child:
    Type: Task
    Resource: arn:aws:states:::states:startExecution.sync:2
    Parameters: {StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:${ChildName}"}
    OutputPath: $.Output
    End: true
)").string();
  std::string flag = (dir.path() / "flag").string();
  auto failed = test::run_flowstate_in(dir.path().string(),
                                       {"run", parent, "--store", store, "--name", "first", "-q", "--substitute",
                                        "ChildName=child", "--substitute", "Flag=" + flag, "--substitute",
                                        "Greeting=hello"});
  INFO(failed.err);
  CHECK(failed.exit_code == 1);
  dir.write("flag", "");
  auto redriven = run_flowstate({"redrive", "first", "--store", store, "-q"});
  INFO(redriven.err);
  CHECK(redriven.exit_code == 0);
  CHECK(output_of(redriven) == "hello");
  auto listed = run_flowstate({"list", "--store", store});
  CHECK(listed.out.find(" child ") != std::string::npos);  // the child's machine: child.asl.yaml → child
}

TEST_CASE("flowstate test-state --substitute: the state is tested with its placeholders filled",
          "[cli][substitutions]") {
  TempDir dir;
  auto file = dir.write("job.json", kJob).string();
  auto tested = run_flowstate({"test-state", file, "--state", "P", "--substitute", "Table=t", "--substitute",
                               "AWS::Region=r", "--substitute", "Limit=2"});
  INFO(tested.err);
  CHECK(tested.exit_code == 0);
  auto response = data::parse_json(tested.out);
  REQUIRE(response.has_value());
  CHECK(response->at("output") == R"({"table":"t","region":"r","literal":"${HOME}","limit":2})");
  auto refused = run_flowstate({"test-state", file, "--state", "P"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(file + ":2:24: error: the placeholder ${Table} has no value") == 0);
}

TEST_CASE("flowstate server --substitute: CreateStateMachine's definition is filled as CloudFormation fills "
          "it, without the option it is kept as given",
          "[cli][substitutions][server]") {
  TempDir dir;
  constexpr const char* kDefinition =
      R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${Table}", "End": true}}})";
  {
    test::ApiServer server(dir.path() / "filling", {"-q", "--substitute", "Table=jobs"});
    test::ApiClient client(server.port());
    auto created = client.ok("CreateStateMachine", {{"name", "m"}, {"definition", kDefinition}, {"roleArn", "r"}});
    auto described = client.ok("DescribeStateMachine", {{"stateMachineArn", created.at("stateMachineArn")}});
    CHECK(described.at("definition") ==
          R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "jobs", "End": true}}})");
    auto refused = client.call("CreateStateMachine",
                               {{"name", "n"}, {"definition", R"({"StartAt": "P", "States": {"P": {"Type": "Pass",
 "Result": "${Other}", "End": true}}})"},
                                {"roleArn", "r"}});
    CHECK(refused.error_type == "InvalidDefinition");
    CHECK(refused.body.at("message") ==
          "Invalid State Machine Definition: definition:2:13: error: the placeholder ${Other} has no value; give it "
          "with --substitute Other=VALUE or in a --substitutions file, or write ${!Other} for the literal text "
          "${Other}");
  }
  test::ApiServer server(dir.path() / "verbatim", {"-q"});
  test::ApiClient client(server.port());
  auto created = client.ok("CreateStateMachine", {{"name", "m"}, {"definition", kDefinition}, {"roleArn", "r"}});
  auto described = client.ok("DescribeStateMachine", {{"stateMachineArn", created.at("stateMachineArn")}});
  CHECK(described.at("definition") == kDefinition);
}

TEST_CASE("flowstate run --substitute on a store a server holds: the server runs the filled definition",
          "[cli][substitutions][server]") {
  TempDir dir;
  std::string store = (dir.path() / "store").string();
  test::ApiServer server(store, {"-q"});
  auto file = dir.write("job.asl.json", kJob).string();
  auto ran = run_flowstate({"run", file, "--store", store, "-q", "--substitute", "Table=t", "--substitute",
                            "AWS::Region=r", "--substitute", "Limit=3", "--machine-name", "served-job"});
  INFO(ran.err);
  CHECK(ran.exit_code == 0);
  CHECK(output_of(ran) == *data::parse_json(R"({"table": "t", "region": "r", "literal": "${HOME}", "limit": 3})"));
  auto listed = run_flowstate({"list", "--store", store});
  CHECK(listed.out.find(" served-job ") != std::string::npos);
}

}  // namespace
}  // namespace flowstate::cli
