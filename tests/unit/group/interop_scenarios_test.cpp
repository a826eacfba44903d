// The official MLS interop scenarios (mlswg/mls-implementations interop/configs,
// read at run time from MLS_INTEROP_CONFIGS_DIR, never copied here), played in
// one process through the public group API: every script of every config
// file, in every cipher suite and both handshake encodings.
//
// The scripts' meaning is the official runner's (../shared/interop/RUNNER.md):
// integer parameters name the step, counted from 0, whose output is meant;
// a fullCommit's "members" process the commit and its "joiners" join from the
// Welcome; members that a step does not name are left behind at their epoch.
// After every step that changes an epoch, everyone the step involved must
// agree on the epoch, the epoch authenticator, an exported secret, the group
// context and the member list, and a message from the step's first actor must
// decrypt at every other one.
//
// Where this in-process player differs from the gRPC runner:
// - A client never processes its own proposal: it cached it when it sent it
//   (the runner hands it back, RUNNER.md §9.1).
// - Commits carry an UpdatePath only when the RFC requires one or the step
//   says force_path (GroupConfig::always_include_path is off), so path-less
//   commits are exercised too.
// - branch also honours "forcePath" / "externalTree", which the Go runner drops
//   (RUNNER.md §3.1) although reinit reads them.
// - changeCipherSuite moves to the next suite of crypto::kAllCipherSuites (the
//   runner picks one at random).
// - deep_random.json runs a prefix cut at a step boundary (deep_random_steps).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/random.h"
#include "helpers.h"
#include "messages/group_extensions.h"

namespace mls::test {
namespace {

using json = nlohmann::json;

// deep_random.json has 1,670 steps (90 commits, 11 external joins); its first
// 60 end with its fourth commit: 15 adds, 9 removes and 6 Updates, leaving 29
// members, after one of 19 adds. That keeps all suites and both encodings
// within seconds (P-384 is the slowest by far). MLS_INTEROP_DEEP_STEPS=<n> in
// the environment plays n steps instead (1670: all of it).
size_t deep_random_steps() {
  const char* env = std::getenv("MLS_INTEROP_DEEP_STEPS");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 60;
}

// Every script of every config file. A file that gains or loses a script
// fails InteropConfigs.EveryScriptIsPlayed, so none is silently skipped.
const std::map<std::string, std::vector<std::string>>& all_scripts() {
  static const std::map<std::string, std::vector<std::string>> scripts = {
      {"welcome_join", {"no_path_secret", "with_path_secret", "with_psk", "with_external_tree"}},
      {"commit",
       {"empty", "add", "remove", "update", "group_context_extensions", "external_psk",
        "resumption_psk", "all_together_alice_proposes", "all_together_bob_proposes"}},
      {"application", {"in_order", "out_of_order_within_epoch", "out_of_order_across_epochs"}},
      {"external_join",
       {"normal", "with_psk", "removing_prior", "with_external_tree", "with_more_members"}},
      {"external_proposals",
       {"joiner_signed_add", "external_add", "external_remove", "external_psk", "resumption_psk",
        "group_context_extensions", "multiple_external", "external_reinit"}},
      {"reinit",
       {"change_ciphersuite", "change_group_id", "change_extensions", "all_same_actor",
        "external_tree", "force_path"}},
      {"branch", {"base", "with_extensions", "external_tree", "force_path"}},
      {"deep_random", {"random"}},
  };
  return scripts;
}

std::string configs_dir() { return MLS_INTEROP_CONFIGS_DIR; }

// The parsed config file, read once per process; nullptr (and a failure) if
// it cannot be read: a missing configs folder fails, it never skips.
const json* load_config(const std::string& file) {
  static std::map<std::string, json> cache;
  auto it = cache.find(file);
  if (it != cache.end()) return &it->second;
  const std::string path = configs_dir() + "/" + file + ".json";
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path << " (MLS_INTEROP_CONFIGS_DIR)";
    return nullptr;
  }
  json parsed = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.contains("scripts")) {
    ADD_FAILURE() << path << " is not an interop config";
    return nullptr;
  }
  return &cache.emplace(file, std::move(parsed)).first->second;
}

// Standard base64 with padding (the configs' extension_data).
std::optional<Bytes> base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return std::nullopt;
  Bytes out;
  for (size_t i = 0; i < text.size(); i += 4) {
    uint32_t acc = 0;
    int pad = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        ++pad;
        acc <<= 6;
        continue;
      }
      const int v = value(c);
      if (v < 0 || pad > 0) return std::nullopt;
      acc = (acc << 6) | static_cast<uint32_t>(v);
    }
    out.push_back(static_cast<uint8_t>(acc >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(acc >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(acc));
  }
  return out;
}

// A step's parameter; keys match ASCII-case-insensitively, as Go's
// encoding/json does for the official runner. nullptr when absent.
const json* param(const json& step, std::initializer_list<std::string_view> names) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (std::string_view name : names) {
    for (const auto& [key, value] : step.items()) {
      if (lower(key) == lower(name)) return &value;
    }
  }
  return nullptr;
}

// A required parameter; a missing one throws, which fails the test.
template <typename T>
T need(const json& step, std::string_view key) {
  const json* v = param(step, {key});
  if (v == nullptr) {
    throw std::invalid_argument("no \"" + std::string(key) + "\" in " + step.dump());
  }
  return v->get<T>();
}

bool flag(const json& step, std::initializer_list<std::string_view> names) {
  const json* v = param(step, names);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

std::vector<std::string> names(const json& step, std::string_view key) {
  std::vector<std::string> out;
  if (const json* v = param(step, {key}); v != nullptr) {
    for (const auto& n : *v) out.push_back(n.get<std::string>());
  }
  return out;
}

std::vector<size_t> indices(const json& step, std::string_view key) {
  std::vector<size_t> out;
  if (const json* v = param(step, {key}); v != nullptr) {
    for (const auto& n : *v) out.push_back(n.get<size_t>());
  }
  return out;
}

// What a step produced, for later steps that name it by index.
struct StepOutput {
  Bytes group_id;
  std::optional<KeyPackage> key_package;
  // A proposal message; `proposer` is the member that sent it, empty for a
  // sender outside the group (external signer, new member).
  std::optional<Bytes> proposal;
  std::string proposer;
  ProposalType proposal_type = 0;
  std::optional<ReInit> reinit;
  Bytes psk_id;
  SecretBytes psk_secret;
  std::optional<Bytes> welcome;
  std::optional<Bytes> commit;
  std::optional<Bytes> ratchet_tree;
  std::optional<Bytes> group_info;
  Bytes ciphertext;
  std::string plaintext;
  std::string authenticated_data;
  uint32_t sender = 0;
};

struct Param {
  std::string file;
  std::string script;
  uint16_t suite;
  HandshakeFormat format;
};
void PrintTo(const Param& p, std::ostream* os) {
  *os << p.file << ".json:" << p.script << " suite " << p.suite
      << (p.format == HandshakeFormat::public_message ? " public" : " private");
}

class Player {
 public:
  Player(uint16_t suite, HandshakeFormat format, std::string name)
      : suite_(suite), format_(format), name_(std::move(name)) {}

  void play(const json& script, size_t steps) {
    out_.resize(steps);
    for (size_t i = 0; i < steps; ++i) {
      const json& step = script.at(i);
      SCOPED_TRACE("step " + std::to_string(i) + ": " + step.dump());
      run(step, i);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

 private:
  void run(const json& step, size_t i) {
    const std::string action = step.at("action").get<std::string>();
    if (action == "createGroup") return create_group(step, i);
    if (action == "createKeyPackage") return create_key_package(step, i);
    if (action == "installExternalPSK") return install_external_psk(step, i);
    if (action == "addProposal" || action == "updateProposal" || action == "removeProposal" ||
        action == "externalPSKProposal" || action == "resumptionPSKProposal" ||
        action == "groupContextExtensionsProposal") {
      return member_proposal(action, step, i);
    }
    if (action == "fullCommit") return full_commit(step, i);
    if (action == "protect") return protect(step, i);
    if (action == "unprotect") return unprotect(step, i);
    if (action == "externalJoin") return external_join(step, i);
    if (action == "newMemberAddProposal") return new_member_add_proposal(step, i);
    if (action == "addExternalSigner") return add_external_signer(step, i);
    if (action == "externalSignerProposal") return external_signer_proposal(step, i);
    if (action == "reinit") return reinit(step, i);
    if (action == "branch") return branch(step);
    FAIL() << "action not supported by this player: " << action;
  }

  // --- actors ------------------------------------------------------------------
  GroupConfig config(const std::string& name) {
    GroupConfig c = test_config(format_);
    c.psks = store(name);
    c.always_include_path = false;  // a path only where the RFC or force_path asks
    return c;
  }
  std::shared_ptr<schedule::InMemoryPskStore>& store(const std::string& name) {
    auto& s = psks_[name];
    if (!s) s = std::make_shared<schedule::InMemoryPskStore>();
    return s;
  }
  // A new client for `name` (a fresh signature key), replacing the old one.
  Client& fresh_client(const std::string& name) {
    return clients_.insert_or_assign(name, Client::make(suite_, name)).first->second;
  }
  Client* member(const std::string& name) {
    auto it = clients_.find(name);
    if (it == clients_.end() || !it->second.group) {
      ADD_FAILURE() << name << " has no group";
      return nullptr;
    }
    return &it->second;
  }
  const StepOutput* output(size_t index, size_t now) {
    if (index >= now) {
      ADD_FAILURE() << "step " << now << " refers to step " << index;
      return nullptr;
    }
    return &out_[index];
  }
  // The leaf whose basic credential is `name`, as `g` sees the tree.
  static std::optional<uint32_t> leaf_of(const Group& g, const std::string& name) {
    for (const Member& m : g.members()) {
      const Bytes* id = m.credential.identity();
      if (id != nullptr && *id == to_bytes(name)) return m.leaf_index;
    }
    ADD_FAILURE() << "no leaf for " << name;
    return std::nullopt;
  }
  std::optional<ExtensionList> extensions(const json& step) {
    ExtensionList list;
    if (const json* v = param(step, {"extensions"}); v != nullptr) {
      for (const auto& e : *v) {
        auto data = base64_decode(e.at("extension_data").get<std::string>());
        if (!data) {
          ADD_FAILURE() << "bad base64 in " << e.dump();
          return std::nullopt;
        }
        list.entries.push_back(
            Extension{e.at("extension_type").get<ExtensionType>(), std::move(*data)});
      }
    }
    return list;
  }
  // NewGroupID (RUNNER.md §4.2): step 0's group id, with "++" if changed.
  Bytes new_group_id(bool change) {
    Bytes id = out_.at(0).group_id;
    EXPECT_FALSE(id.empty()) << "step 0 made no group";
    if (change) id.insert(id.end(), {'+', '+'});
    return id;
  }
  // ChangeCipherSuite (RUNNER.md §5.3): another suite for all later steps.
  void change_cipher_suite() {
    const auto* all = std::begin(crypto::kAllCipherSuites);
    const size_t n = std::size(crypto::kAllCipherSuites);
    const size_t at = static_cast<size_t>(std::find(all, all + n, suite_) - all);
    suite_ = all[(at + 1) % n];
  }
  Bytes random_nonce(size_t n) {
    auto r = crypto::random_bytes(n);
    EXPECT_TRUE(r) << r.error().describe();
    return r ? std::move(*r) : Bytes(n, 0x42);
  }

  // --- checks ------------------------------------------------------------------
  // helpers.h's expect_agreement, except that the group may hold members this
  // step did not involve (added but never joined, or left at an old epoch):
  // the participants must see the same member list, and each must be in it.
  // A group whose ReInit was merged only serves the new group: it exports no
  // secret and sends no message (`finished`).
  void expect_agreement(const std::vector<Client*>& who, bool finished = false) {
    ASSERT_FALSE(who.empty());
    Group& first = who[0]->g();
    SecretBytes exported;
    if (!finished) {
      UNWRAP(e, first.export_secret("mlscpp interop", to_bytes(name_), 32));
      exported = std::move(e);
    }
    const auto first_members = first.members();
    for (Client* c : who) {
      Group& g = c->g();
      SCOPED_TRACE(c->name);
      ASSERT_TRUE(g.active());
      EXPECT_EQ(g.epoch(), first.epoch());
      EXPECT_EQ(g.epoch_authenticator(), first.epoch_authenticator());
      if (!finished) {
        UNWRAP(e, g.export_secret("mlscpp interop", to_bytes(name_), 32));
        EXPECT_EQ(e, exported);
      }
      EXPECT_EQ(g.context(), first.context());
      const auto ms = g.members();
      ASSERT_EQ(ms.size(), first_members.size());
      for (size_t k = 0; k < ms.size(); ++k) {
        EXPECT_EQ(ms[k].leaf_index, first_members[k].leaf_index);
        EXPECT_EQ(ms[k].credential, first_members[k].credential);
        EXPECT_EQ(ms[k].signature_key, first_members[k].signature_key);
        EXPECT_EQ(ms[k].encryption_key, first_members[k].encryption_key);
      }
      EXPECT_EQ(leaf_of(g, c->name), g.own_leaf());
    }
    if (finished || ::testing::Test::HasFailure()) return;
    // The first one speaks in the new epoch; all others read it.
    expect_message(*who[0], who, "epoch " + std::to_string(first.epoch()) + " of " + name_);
  }
  static void expect_same_effects(const CommitEffects& sent, const CommitEffects& seen) {
    EXPECT_EQ(seen.committer, sent.committer);
    EXPECT_EQ(seen.new_epoch, sent.new_epoch);
    EXPECT_EQ(seen.added, sent.added);
    EXPECT_EQ(seen.updated, sent.updated);
    ASSERT_EQ(seen.removed.size(), sent.removed.size());
    for (size_t k = 0; k < seen.removed.size(); ++k) {
      EXPECT_EQ(seen.removed[k].leaf_index, sent.removed[k].leaf_index);
      EXPECT_EQ(seen.removed[k].leaf, sent.removed[k].leaf);
    }
    EXPECT_EQ(seen.psks, sent.psks);
    EXPECT_EQ(seen.has_path, sent.has_path);
    EXPECT_EQ(seen.external, sent.external);
    EXPECT_EQ(seen.reinit, sent.reinit);
  }
  // The first commit of a group resuming `old` (§11.2, §11.3) mixes in one
  // resumption PSK of `old`'s current epoch.
  static void expect_resumption_psk(const CommitEffects& effects, ResumptionPSKUsage usage,
                                    const Group& old) {
    ASSERT_EQ(effects.psks.size(), 1u);
    const PreSharedKeyID& psk = effects.psks[0];
    EXPECT_EQ(psk.psktype, PSKType::resumption);
    EXPECT_EQ(psk.usage, usage);
    EXPECT_EQ(psk.psk_group_id, old.group_id());
    EXPECT_EQ(psk.psk_epoch, old.epoch());
  }
  // `c` caches a proposal it did not send.
  static void ingest(Client& c, const StepOutput& p) {
    if (p.proposer == c.name) return;
    UNWRAP(got, c.g().process(*p.proposal));
    ASSERT_NE(std::get_if<CachedProposal>(&got), nullptr) << c.name;
  }
  // `c` processes and merges `commit` after caching `proposals`; the commit
  // must do what the committer said it does.
  static void handle_commit(Client& c, const std::vector<const StepOutput*>& proposals,
                            const Bytes& commit, const CommitEffects& sent) {
    SCOPED_TRACE(c.name + " handles the commit");
    for (const StepOutput* p : proposals) {
      ingest(c, *p);
      if (::testing::Test::HasFatalFailure()) return;
    }
    UNWRAP(got, c.g().process(commit));
    auto* staged = std::get_if<StagedCommit>(&got);
    ASSERT_NE(staged, nullptr);
    expect_same_effects(sent, staged->effects());
    EXPECT_FALSE(staged->effects().removes_us);
    ASSERT_OK(c.g().merge(std::move(*staged)));
  }

  // --- actions ------------------------------------------------------------------
  void create_group(const json& step, size_t i) {
    const std::string name = step.at("actor").get<std::string>();
    Client& creator = fresh_client(name);
    const Bytes group_id = to_bytes("mlscpp interop " + name_);
    UNWRAP(g, Group::create(creator.identity, config(name), group_id));
    creator.group.emplace(std::move(g));
    out_[i].group_id = group_id;
    const auto members = names(step, "members");
    if (members.empty()) return;
    CommitOptions add;
    for (const auto& m : members) add.add.push_back(fresh_client(m).new_key_package());
    UNWRAP(out, creator.g().commit(add));
    ASSERT_OK(creator.g().merge_pending_commit());
    ASSERT_TRUE(out.welcome);
    std::vector<Client*> all{&creator};
    for (const auto& m : members) {
      Client& c = clients_.at(m);
      UNWRAP(joined, Group::join(c.identity, *c.key_package, *out.welcome, config(m)));
      c.group.emplace(std::move(joined));
      all.push_back(&c);
    }
    expect_agreement(all);
  }

  void create_key_package(const json& step, size_t i) {
    Client& c = fresh_client(step.at("actor").get<std::string>());
    out_[i].key_package = c.new_key_package();
  }

  void install_external_psk(const json& step, size_t i) {
    out_[i].psk_id = random_nonce(32);
    auto secret = crypto::random_secret(32);
    ASSERT_TRUE(secret) << secret.error().describe();
    out_[i].psk_secret = std::move(*secret);
    for (const auto& c : names(step, "clients")) {
      store(c)->add_external(out_[i].psk_id, out_[i].psk_secret.clone());
    }
  }

  // A proposal description (RUNNER.md §5.3) as the Proposal it stands for
  // in `g`. Member proposal steps use the same keys ("keyPackage", "removed",
  // "pskID", "epochID", "extensions"), and so does the reinit step.
  std::optional<Proposal> describe(const std::string& type, const json& d, const Group& g,
                                   size_t i) {
    const size_t nh = g.suite().hash_size();
    if (type == "add") {
      const StepOutput* kp = output(need<size_t>(d, "keyPackage"), i);
      if (kp != nullptr && kp->key_package) return Proposal(Add{*kp->key_package});
    } else if (type == "remove") {
      if (auto leaf = leaf_of(g, need<std::string>(d, "removed"))) return Proposal(Remove{*leaf});
      return std::nullopt;
    } else if (type == "externalPSK") {
      const StepOutput* psk = output(need<size_t>(d, "pskID"), i);
      if (psk != nullptr && !psk->psk_id.empty()) {
        return Proposal(PreSharedKey{PreSharedKeyID::external(psk->psk_id, random_nonce(nh))});
      }
    } else if (type == "resumptionPSK") {
      return Proposal(
          PreSharedKey{PreSharedKeyID::resumption(ResumptionPSKUsage::application, g.group_id(),
                                                  need<uint64_t>(d, "epochID"), random_nonce(nh))});
    } else if (type == "groupContextExtensions") {
      if (auto exts = extensions(d)) return Proposal(GroupContextExtensions{std::move(*exts)});
      return std::nullopt;
    } else if (type == "reinit") {
      auto exts = extensions(d);
      if (!exts) return std::nullopt;
      if (flag(d, {"changeCipherSuite"})) change_cipher_suite();
      return Proposal(
          ReInit{new_group_id(flag(d, {"changeGroupID"})), kMls10, suite_, std::move(*exts)});
    } else {
      ADD_FAILURE() << "unknown proposal type " << type;
      return std::nullopt;
    }
    ADD_FAILURE() << "no such step output for " << d.dump();
    return std::nullopt;
  }
  // `g` sends `p` as its own proposal, through the API call for its type.
  static Result<Bytes> propose(Group& g, const Proposal& p) {
    if (const auto* add = p.get<Add>()) return g.propose_add(add->key_package);
    if (const auto* remove = p.get<Remove>()) return g.propose_remove(remove->removed);
    if (const auto* psk = p.get<PreSharedKey>()) {
      if (psk->psk.psktype == PSKType::external) return g.propose_external_psk(psk->psk.psk_id);
      return g.propose_resumption_psk(psk->psk.psk_epoch);
    }
    if (const auto* gce = p.get<GroupContextExtensions>()) {
      return g.propose_group_context_extensions(gce->extensions);
    }
    if (const auto* reinit = p.get<ReInit>()) return g.propose_reinit(*reinit);
    return make_error(ErrorCode::usage, "a member sends no such proposal");
  }

  // addProposal, updateProposal, removeProposal, externalPSKProposal,
  // resumptionPSKProposal, groupContextExtensionsProposal.
  void member_proposal(const std::string& action, const json& step, size_t i) {
    Client* c = member(step.at("actor").get<std::string>());
    ASSERT_NE(c, nullptr);
    const std::string type = action.substr(0, action.size() - std::string_view("Proposal").size());
    Result<Bytes> msg = Bytes{};
    if (type == "update") {
      msg = c->g().propose_update();
      out_[i].proposal_type = proposal_type::update;
    } else {
      auto proposal = describe(type, step, c->g(), i);
      ASSERT_TRUE(proposal);
      msg = propose(c->g(), *proposal);
      out_[i].proposal_type = proposal->type();
    }
    ASSERT_TRUE(msg) << action << ": " << msg.error().describe();
    out_[i].proposal = std::move(*msg);
    out_[i].proposer = c->name;
  }

  void full_commit(const json& step, size_t i) {
    Client* committer = member(step.at("actor").get<std::string>());
    ASSERT_NE(committer, nullptr);
    Group& g = committer->g();
    std::vector<const StepOutput*> proposals;
    size_t adds = 0, updates = 0, removes = 0;
    auto count = [&](ProposalType t) {
      adds += t == proposal_type::add;
      updates += t == proposal_type::update;
      removes += t == proposal_type::remove;
    };
    for (size_t idx : indices(step, "byReference")) {
      const StepOutput* p = output(idx, i);
      ASSERT_TRUE(p && p->proposal) << "step " << idx << " made no proposal";
      proposals.push_back(p);
      count(p->proposal_type);
      ingest(*committer, *p);
      if (HasFatal()) return;
    }
    // By-value proposals go inline, through CommitOptions.
    CommitOptions options;
    if (const json* by_value = param(step, {"byValue"}); by_value != nullptr) {
      for (const json& d : *by_value) {
        auto proposal = describe(d.at("proposalType").get<std::string>(), d, g, i);
        ASSERT_TRUE(proposal);
        count(proposal->type());
        if (const auto* add = proposal->get<Add>()) {
          options.add.push_back(add->key_package);
        } else if (const auto* remove = proposal->get<Remove>()) {
          options.remove.push_back(remove->removed);
        } else if (const auto* psk = proposal->get<PreSharedKey>()) {
          if (psk->psk.psktype == PSKType::external) {
            options.external_psks.push_back(psk->psk.psk_id);
          } else {
            options.resumption_psks.push_back(psk->psk.psk_epoch);
          }
        } else if (const auto* gce = proposal->get<GroupContextExtensions>()) {
          ASSERT_FALSE(options.group_context_extensions) << "two GroupContextExtensions";
          options.group_context_extensions = gce->extensions;
        } else if (const auto* reinit = proposal->get<ReInit>()) {
          ASSERT_FALSE(options.reinit) << "two ReInits";
          options.reinit = *reinit;
        } else {
          FAIL() << "no by-value proposal " << d.dump();
        }
      }
    }

    const bool force_path = flag(step, {"force_path", "forcePath"});
    const bool external_tree = flag(step, {"external_tree", "externalTree"});
    options.force_path = force_path;
    options.ratchet_tree_in_welcome = !external_tree;
    UNWRAP(out, g.commit(options));
    EXPECT_TRUE(out.effects.has_path || !force_path) << "force_path";
    EXPECT_EQ(out.effects.added.size(), adds);
    EXPECT_EQ(out.effects.updated.size(), updates);
    EXPECT_EQ(out.effects.removed.size(), removes);
    EXPECT_FALSE(out.effects.external);
    EXPECT_FALSE(out.effects.reinit);
    EXPECT_EQ(out.welcome.has_value(), adds > 0);
    EXPECT_EQ(out.ratchet_tree.has_value(), external_tree && adds > 0);
    ASSERT_OK(g.merge_pending_commit());

    std::vector<Client*> everyone{committer};
    for (const auto& m : names(step, "members")) {
      Client* c = member(m);
      ASSERT_NE(c, nullptr);
      handle_commit(*c, proposals, out.commit, out.effects);
      if (HasFatal()) return;
      everyone.push_back(c);
    }
    for (const auto& j : names(step, "joiners")) {
      auto it = clients_.find(j);
      ASSERT_TRUE(it != clients_.end() && it->second.key_package) << "no KeyPackage of " << j;
      Client& c = it->second;
      ASSERT_TRUE(out.welcome);
      std::optional<BytesView> tree;
      if (external_tree) {
        ASSERT_TRUE(out.ratchet_tree);
        tree = *out.ratchet_tree;
      }
      UNWRAP(joined, Group::join(c.identity, *c.key_package, *out.welcome, config(j), tree));
      c.group.emplace(std::move(joined));
      const auto& added = out.effects.added;
      EXPECT_NE(std::find(added.begin(), added.end(), c.g().own_leaf()), added.end()) << j;
      everyone.push_back(&c);
    }
    expect_agreement(everyone);
    out_[i].welcome = std::move(out.welcome);
    out_[i].commit = std::move(out.commit);
    out_[i].ratchet_tree = std::move(out.ratchet_tree);
  }

  void protect(const json& step, size_t i) {
    Client* c = member(step.at("actor").get<std::string>());
    ASSERT_NE(c, nullptr);
    StepOutput& o = out_[i];
    o.plaintext = need<std::string>(step, "plaintext");
    o.authenticated_data = need<std::string>(step, "authenticatedData");
    UNWRAP(ct, c->g().protect(to_bytes(o.plaintext), to_bytes(o.authenticated_data)));
    o.ciphertext = std::move(ct);
    o.sender = c->g().own_leaf();
  }

  void unprotect(const json& step, size_t i) {
    Client* c = member(step.at("actor").get<std::string>());
    ASSERT_NE(c, nullptr);
    const StepOutput* sent = output(need<size_t>(step, "ciphertext"), i);
    ASSERT_TRUE(sent && !sent->ciphertext.empty());
    UNWRAP(got, c->g().process(sent->ciphertext));
    auto* app = std::get_if<ApplicationMessage>(&got);
    ASSERT_NE(app, nullptr);
    EXPECT_EQ(app->data, to_bytes(sent->plaintext));
    EXPECT_EQ(app->authenticated_data, to_bytes(sent->authenticated_data));
    EXPECT_EQ(app->sender, sent->sender);
    out_[i].plaintext = sent->plaintext;
    out_[i].authenticated_data = sent->authenticated_data;
  }

  void external_join(const json& step, size_t i) {
    Client* provider = member(step.at("actor").get<std::string>());
    ASSERT_NE(provider, nullptr);
    const std::string joiner = need<std::string>(step, "joiner");
    const bool external_tree = flag(step, {"externalTree"});
    UNWRAP(info, provider->g().group_info(!external_tree, /*with_external_pub=*/true));
    ExternalJoinOptions options;
    if (external_tree) options.ratchet_tree = provider->g().ratchet_tree();
    if (flag(step, {"removePrior"})) {
      options.remove_prior = leaf_of(provider->g(), joiner);
      ASSERT_TRUE(options.remove_prior);
    }
    for (size_t idx : indices(step, "psks")) {
      const StepOutput* psk = output(idx, i);
      ASSERT_TRUE(psk && !psk->psk_id.empty());
      store(joiner)->add_external(psk->psk_id, psk->psk_secret.clone());
      options.external_psks.push_back(psk->psk_id);
    }
    out_[i].group_info = info;
    Client& c = fresh_client(joiner);  // its old state, if any, is abandoned
    UNWRAP(joined, Group::join_external(c.identity, info, config(joiner), options));
    c.group.emplace(std::move(joined.group));
    EXPECT_TRUE(joined.commit.effects.external);
    EXPECT_EQ(joined.commit.effects.psks.size(), options.external_psks.size());
    EXPECT_EQ(joined.commit.effects.removed.size(), options.remove_prior ? 1u : 0u);
    std::vector<Client*> everyone{&c};
    auto members = names(step, "members");
    members.push_back(provider->name);
    for (const auto& m : members) {
      Client* mc = member(m);
      ASSERT_NE(mc, nullptr);
      handle_commit(*mc, {}, joined.commit.commit, joined.commit.effects);
      if (HasFatal()) return;
      everyone.push_back(mc);
    }
    expect_agreement(everyone);
    out_[i].commit = std::move(joined.commit.commit);
  }

  void new_member_add_proposal(const json& step, size_t i) {
    Client* provider = member(step.at("actor").get<std::string>());
    ASSERT_NE(provider, nullptr);
    Client& c = fresh_client(need<std::string>(step, "joiner"));
    const KeyPackage& kp = c.new_key_package();
    UNWRAP(msg, make_new_member_proposal(c.identity, kp, provider->g().group_id(),
                                         provider->g().epoch()));
    out_[i].proposal = std::move(msg);
    out_[i].proposal_type = proposal_type::add;
  }

  void add_external_signer(const json& step, size_t i) {
    Client* c = member(step.at("actor").get<std::string>());
    ASSERT_NE(c, nullptr);
    const std::string name = need<std::string>(step, "signer");
    Client& signer = fresh_client(name);
    // The current extensions, with this signer appended to external_senders.
    ExtensionList exts = c->g().context().extensions;
    UNWRAP(current, exts.get<ExternalSenders>(extension_type::external_senders));
    ExternalSenders senders = current.value_or(ExternalSenders{});
    const Extension added = external_senders_extension({&signer.identity});
    ASSERT_EQ(added.extension_type, extension_type::external_senders);
    UNWRAP(one, codec::decode_all<ExternalSenders>(added.extension_data));
    ASSERT_EQ(one.senders.size(), 1u);
    EXPECT_EQ(one.senders[0].signature_key, signer.identity.signature_key());
    senders.senders.push_back(one.senders[0]);
    exts.set(make_extension(extension_type::external_senders, senders));
    UNWRAP(msg, c->g().propose_group_context_extensions(std::move(exts)));
    out_[i].proposal = std::move(msg);
    out_[i].proposer = c->name;
    out_[i].proposal_type = proposal_type::group_context_extensions;
  }

  void external_signer_proposal(const json& step, size_t i) {
    const std::string signer_name = step.at("actor").get<std::string>();
    auto it = clients_.find(signer_name);
    ASSERT_TRUE(it != clients_.end()) << "no signer " << signer_name;
    const Identity& signer = it->second.identity;
    Client* m = member(need<std::string>(step, "member"));
    ASSERT_NE(m, nullptr);
    const Group& g = m->g();
    // The signer's index in the group's external_senders, by its key.
    UNWRAP(senders, g.context().extensions.get<ExternalSenders>(extension_type::external_senders));
    ASSERT_TRUE(senders);
    std::optional<uint32_t> index;
    for (size_t k = 0; k < senders->senders.size(); ++k) {
      if (senders->senders[k].signature_key == signer.signature_key()) index = uint32_t(k);
    }
    ASSERT_TRUE(index) << signer_name << " is not an external sender";

    const json d = need<json>(step, "description");
    auto proposal = describe(d.at("proposalType").get<std::string>(), d, g, i);
    ASSERT_TRUE(proposal);
    if (const auto* r = proposal->get<ReInit>()) out_[i].reinit = *r;
    out_[i].proposal_type = proposal->type();
    UNWRAP(msg, make_external_proposal(signer, *index, g.group_id(), g.epoch(), *proposal));
    out_[i].proposal = std::move(msg);
  }

  // ReInit (§11.2; RUNNER.md §5.6): the proposal, its commit, and the new
  // group a welcomer makes and the others join.
  void reinit(const json& step, size_t i) {
    const std::string committer_name = need<std::string>(step, "committer");
    const std::string welcomer = need<std::string>(step, "welcomer");
    std::string proposer;
    if (const json* p = param(step, {"proposer"}); p != nullptr) proposer = p->get<std::string>();
    std::vector<std::string> all{committer_name};
    auto add_once = [&](const std::string& n) {
      if (!n.empty() && std::find(all.begin(), all.end(), n) == all.end()) all.push_back(n);
    };
    add_once(welcomer);
    for (const auto& m : names(step, "members")) add_once(m);
    add_once(proposer);

    StepOutput made;
    const StepOutput* proposal = &made;
    ReInit params;
    if (!proposer.empty()) {
      Client* p = member(proposer);
      ASSERT_NE(p, nullptr);
      auto described = describe("reinit", step, p->g(), i);
      ASSERT_TRUE(described);
      params = *described->get<ReInit>();
      UNWRAP(msg, propose(p->g(), *described));
      made.proposal = std::move(msg);
      made.proposer = proposer;
    } else {
      const size_t idx = need<size_t>(step, "externalReinitProposal");
      proposal = output(idx, i);
      ASSERT_TRUE(proposal && proposal->proposal && proposal->reinit);
      params = *proposal->reinit;
    }

    Client* committer = member(committer_name);
    ASSERT_NE(committer, nullptr);
    ingest(*committer, *proposal);
    if (HasFatal()) return;
    UNWRAP(out, committer->g().commit());
    EXPECT_FALSE(out.welcome);
    EXPECT_EQ(out.effects.reinit, params);
    ASSERT_OK(committer->g().merge_pending_commit());
    std::vector<Client*> old_group{committer};
    for (size_t k = 1; k < all.size(); ++k) {
      Client* c = member(all[k]);
      ASSERT_NE(c, nullptr);
      handle_commit(*c, {proposal}, out.commit, out.effects);
      if (HasFatal()) return;
      old_group.push_back(c);
    }
    // The old group's last epoch, agreed; then it only serves the new one.
    expect_agreement(old_group, /*finished=*/true);
    if (HasFatal()) return;
    for (Client* c : old_group) {
      ASSERT_TRUE(c->g().pending_reinit()) << c->name;
      EXPECT_EQ(*c->g().pending_reinit(), params) << c->name;
      EXPECT_FALSE(c->g().protect(to_bytes("after reinit"))) << c->name;
      EXPECT_FALSE(c->g().export_secret("after reinit", {}, 32)) << c->name;
    }

    // Everyone gets a client of the new suite; the welcomer adds the others.
    std::map<std::string, Client> next;
    std::vector<KeyPackage> key_packages;
    for (const auto& n : all) {
      Client c = Client::make(suite_, n);
      if (n != welcomer) key_packages.push_back(c.new_key_package());
      next.emplace(n, std::move(c));
    }
    CommitOptions options;
    options.force_path = flag(step, {"forcePath"});
    options.ratchet_tree_in_welcome = !flag(step, {"externalTree"});
    Client& w = next.at(welcomer);
    UNWRAP(made_group,
           clients_.at(welcomer).g().reinit(w.identity, key_packages, config(welcomer), options));
    auto& [new_group, welcome] = made_group;
    ASSERT_TRUE(welcome.welcome);
    EXPECT_TRUE(welcome.effects.has_path || !options.force_path);
    EXPECT_EQ(welcome.ratchet_tree.has_value(), !options.ratchet_tree_in_welcome);
    expect_resumption_psk(welcome.effects, ResumptionPSKUsage::reinit, clients_.at(welcomer).g());
    w.group.emplace(std::move(new_group));
    for (auto& [n, c] : next) {
      if (n == welcomer) continue;
      std::optional<BytesView> tree;
      if (welcome.ratchet_tree) tree = *welcome.ratchet_tree;
      UNWRAP(joined, Group::join(c.identity, *c.key_package, *welcome.welcome, config(n), tree,
                                 &clients_.at(n).g()));
      c.group.emplace(std::move(joined));
    }
    std::vector<Client*> new_members;
    for (auto& [n, c] : next) {
      clients_.insert_or_assign(n, std::move(c));
      new_members.push_back(&clients_.at(n));
    }
    expect_agreement(new_members);
    const Group& g = clients_.at(welcomer).g();
    EXPECT_EQ(g.epoch(), 1u);
    EXPECT_EQ(g.group_id(), params.group_id);
    EXPECT_EQ(g.suite().id(), params.cipher_suite);
    EXPECT_EQ(g.context().extensions, params.extensions);
  }

  // Branch (§11.3; RUNNER.md §5.7): a subgroup resuming this epoch.
  void branch(const json& step) {
    Client* creator = member(step.at("actor").get<std::string>());
    ASSERT_NE(creator, nullptr);
    auto exts = extensions(step);
    ASSERT_TRUE(exts);
    const auto members = names(step, "members");
    std::vector<Client> next;
    std::vector<KeyPackage> key_packages;
    for (const auto& m : members) {
      next.push_back(Client::make(suite_, m));
      key_packages.push_back(next.back().new_key_package());
    }
    CommitOptions options;
    options.force_path = flag(step, {"force_path", "forcePath"});
    options.ratchet_tree_in_welcome = !flag(step, {"external_tree", "externalTree"});
    const Bytes group_id = to_bytes("mlscpp interop branch of " + name_);
    UNWRAP(made,
           creator->g().branch(key_packages, config(creator->name), group_id, *exts, options));
    auto& [new_group, out] = made;
    ASSERT_TRUE(out.welcome);
    EXPECT_TRUE(out.effects.has_path || !options.force_path);
    EXPECT_EQ(out.ratchet_tree.has_value(), !options.ratchet_tree_in_welcome);
    expect_resumption_psk(out.effects, ResumptionPSKUsage::branch, creator->g());
    std::optional<BytesView> tree;
    if (out.ratchet_tree) tree = *out.ratchet_tree;
    for (Client& c : next) {
      UNWRAP(joined, Group::join(c.identity, *c.key_package, *out.welcome, config(c.name), tree,
                                 &clients_.at(c.name).g()));
      c.group.emplace(std::move(joined));
    }
    creator->group.emplace(std::move(new_group));
    std::vector<Client*> everyone{creator};
    for (Client& c : next) {
      const std::string n = c.name;
      clients_.insert_or_assign(n, std::move(c));
      everyone.push_back(&clients_.at(n));
    }
    expect_agreement(everyone);
    EXPECT_EQ(creator->g().epoch(), 1u);
    EXPECT_EQ(creator->g().group_id(), group_id);
    EXPECT_EQ(creator->g().context().extensions, *exts);
  }

  static bool HasFatal() { return ::testing::Test::HasFatalFailure(); }

  uint16_t suite_;
  HandshakeFormat format_;
  std::string name_;
  std::map<std::string, Client> clients_;
  std::map<std::string, std::shared_ptr<schedule::InMemoryPskStore>> psks_;
  std::vector<StepOutput> out_;
};

class InteropScript : public ::testing::TestWithParam<Param> {};

TEST_P(InteropScript, Plays) {
  const Param& p = GetParam();
  const json* config = load_config(p.file);
  ASSERT_NE(config, nullptr);
  const json& scripts = config->at("scripts");
  ASSERT_TRUE(scripts.contains(p.script)) << p.file << ".json has no script " << p.script;
  const json& script = scripts.at(p.script);
  size_t steps = script.size();
  if (p.file == "deep_random") steps = std::min(steps, deep_random_steps());
  Player player(p.suite, p.format, p.file + "/" + p.script);
  player.play(script, steps);
}

std::vector<Param> all_params() {
  std::vector<Param> out;
  for (const auto& [file, scripts] : all_scripts()) {
    for (const auto& script : scripts) {
      for (uint16_t s : crypto::kAllCipherSuites) {
        out.push_back({file, script, s, HandshakeFormat::public_message});
        out.push_back({file, script, s, HandshakeFormat::private_message});
      }
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Interop, InteropScript, ::testing::ValuesIn(all_params()),
                         [](const auto& test) {
                           const Param& p = test.param;
                           return p.file + "_" + p.script + "_suite" + std::to_string(p.suite) +
                                  (p.format == HandshakeFormat::public_message ? "_public"
                                                                               : "_private");
                         });

// The folder holds exactly the scripts above: a new or renamed script fails
// here instead of going unplayed.
TEST(InteropConfigs, EveryScriptIsPlayed) {
  const std::filesystem::path dir = configs_dir();
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir << " (MLS_INTEROP_CONFIGS_DIR)";
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.insert(entry.path().stem().string());
  }
  std::set<std::string> expected;
  for (const auto& [file, scripts] : all_scripts()) expected.insert(file);
  EXPECT_EQ(files, expected);
  for (const auto& [file, scripts] : all_scripts()) {
    const json* config = load_config(file);
    ASSERT_NE(config, nullptr);
    std::set<std::string> found;
    for (const auto& [name, steps] : config->at("scripts").items()) found.insert(name);
    EXPECT_EQ(found, std::set<std::string>(scripts.begin(), scripts.end())) << file;
  }
}

}  // namespace
}  // namespace mls::test
