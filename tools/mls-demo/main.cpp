// mls-demo: the life of one MLS group (RFC 9420), every member in this
// process, through the public API of include/mls/group.h.
//
//   1. alice creates a group
//   2. alice adds bob, carol and dave in one commit; they join from the Welcome
//   3. everyone sends an application message, everyone else decrypts it
//   4. bob proposes an Update and carol commits it; dave commits with a path only
//   5. alice removes carol; carol sees that she was removed
//   6. erin joins by external commit from a GroupInfo
//   7. an external PSK, held by every member, is proposed and committed
//   8. the group is reinitialized (ReInit) with a new id and cipher suite
//
// After every epoch change all members must agree on the epoch, the epoch
// authenticator (§8.7), an exported secret (§8.5) and the member list. Each
// check prints one line; the first failure prints the error and exits 1.
//
// Usage: mls-demo [--suite N | --all-suites]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/random.h"
#include "mls/group.h"
#include "schedule/psk.h"

namespace {

using namespace mls;

// ---------------------------------------------------------------------------
// Failing loudly

// Thrown by the first failed step or check; main() prints it and exits 1.
struct DemoFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

int checks_passed = 0;

// The value of a library call, or the demo stops with the call's error.
template <typename T>
T must(Result<T> result, const std::string& step) {
  if (!result) throw DemoFailure(step + ": " + result.error().describe());
  return std::move(*result);
}
void must(Status status, const std::string& step) {
  if (!status) throw DemoFailure(step + ": " + status.error().describe());
}

// One line per check that passed; the demo stops at the first that did not.
void check(bool ok, const std::string& what) {
  if (!ok) throw DemoFailure("check failed: " + what);
  ++checks_passed;
  std::printf("    ok    %s\n", what.c_str());
}

// A check that the library refuses something, naming the error it gave.
template <typename T>
void check_refused(const Result<T>& result, const std::string& what) {
  if (result) throw DemoFailure("check failed: " + what + " (the call succeeded)");
  check(true, what + " (" + result.error().describe() + ")");
}

void step(int number, const std::string& title) {
  std::printf("\n[%d] %s\n", number, title.c_str());
}
void note(const std::string& text) { std::printf("    %s\n", text.c_str()); }

std::string hex_prefix(BytesView bytes) {
  return to_hex(bytes.first(std::min<size_t>(4, bytes.size()))) + "...";
}

std::string suite_name(uint16_t suite) {
  static constexpr const char* kNames[] = {
      "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519",
      "MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
      "MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519",
      "MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448",
      "MLS_256_DHKEMP521_AES256GCM_SHA512_P521",
      "MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448",
      "MLS_256_DHKEMP384_AES256GCM_SHA384_P384",
  };
  char id[16];
  std::snprintf(id, sizeof id, "0x%04x", suite);
  if (suite == 0 || suite > std::size(kNames)) return id;
  return std::string(kNames[suite - 1]) + " (" + id + ")";
}

// ---------------------------------------------------------------------------
// Members

// One client: its identity, the PSKs it holds, its latest KeyPackage (with
// the private keys) and its view of the group.
struct Client {
  std::string name;
  Identity identity;
  std::shared_ptr<schedule::InMemoryPskStore> psks = std::make_shared<schedule::InMemoryPskStore>();
  std::optional<KeyPackageBundle> key_package = std::nullopt;
  std::optional<Group> group = std::nullopt;

  static Client make(uint16_t suite, std::string name) {
    Identity id = must(Identity::generate(suite, Credential::basic(to_bytes(name))),
                       name + " generates a signature key");
    return Client{.name = std::move(name), .identity = std::move(id)};
  }

  Group& g() { return *group; }

  GroupConfig config() const {
    GroupConfig c;
    c.credentials = std::make_shared<AcceptAllCredentials>();  // a real app asks its AS
    c.psks = psks;
    return c;
  }

  // A fresh KeyPackage, as a client publishes to the delivery service.
  const KeyPackage& publish_key_package() {
    key_package = must(identity.make_key_package(), name + " makes a KeyPackage");
    return key_package->key_package;
  }

  void join(BytesView welcome, const Group* resumed_from = nullptr) {
    group = must(Group::join(identity, *key_package, welcome, config(), std::nullopt, resumed_from),
                 name + " joins from the Welcome");
  }
};

// The clients that are members of the group, in no particular order.
using Members = std::vector<Client*>;

std::string identity_of(const Credential& credential) {
  const Bytes* id = credential.identity();
  return id ? std::string(id->begin(), id->end()) : "?";
}

// The member at `leaf` (members() lists only the non-blank leaves).
std::optional<mls::Member> member_at(const Group& group, uint32_t leaf) {
  for (mls::Member& m : group.members()) {
    if (m.leaf_index == leaf) return std::move(m);
  }
  return std::nullopt;
}

std::string names(const Members& members) {
  std::string out;
  for (const Client* m : members) out += (out.empty() ? "" : ", ") + m->name;
  return out;
}

void print_members(Client& viewer) {
  std::string list;
  for (const mls::Member& m : viewer.g().members()) {
    list +=
        (list.empty() ? "" : ", ") + std::to_string(m.leaf_index) + " " + identity_of(m.credential);
  }
  std::printf("    epoch %llu  members: %s\n", static_cast<unsigned long long>(viewer.g().epoch()),
              list.c_str());
}

// ---------------------------------------------------------------------------
// Delivering messages, checking agreement

// Where `g` differs from `first`, or "" where it agrees: the epoch, the
// group, the epoch authenticator, an exported secret and the member list.
std::string disagreement(Group& g, Group& first, BytesView context, const SecretBytes& exported) {
  if (!g.active()) return "is not in the group";
  if (g.epoch() != first.epoch()) return "is in epoch " + std::to_string(g.epoch());
  if (g.group_id() != first.group_id() || g.suite().id() != first.suite().id())
    return "is in another group";
  if (g.epoch_authenticator() != first.epoch_authenticator())
    return "has another epoch authenticator";
  if (must(g.export_secret("mls-demo", context, 32), "export_secret") != exported) {
    return "exports another secret";
  }
  const auto ours = g.members(), theirs = first.members();
  if (ours.size() != theirs.size()) return "sees " + std::to_string(ours.size()) + " members";
  for (size_t i = 0; i < ours.size(); ++i) {
    if (ours[i].leaf_index != theirs[i].leaf_index || ours[i].credential != theirs[i].credential ||
        ours[i].signature_key != theirs[i].signature_key ||
        ours[i].encryption_key != theirs[i].encryption_key) {
      return "sees leaf " + std::to_string(ours[i].leaf_index) + " differently";
    }
  }
  return "";
}

// Everyone in `members` is in the same epoch with the same secrets, sees the
// same member list, and that list is `members`.
void check_agreement(const Members& members) {
  Client& first = *members.front();
  const Bytes context = to_bytes("agreement");
  const SecretBytes exported =
      must(first.g().export_secret("mls-demo", context, 32), "export_secret");
  for (Client* m : members) {
    const std::string differs = disagreement(m->g(), first.g(), context, exported);
    if (!differs.empty())
      throw DemoFailure("check failed: unlike " + first.name + ", " + m->name + " " + differs);
    if (!member_at(first.g(), m->g().own_leaf())) {
      throw DemoFailure("check failed: " + m->name + " is not in " + first.name + "'s member list");
    }
  }
  if (first.g().members().size() != members.size()) {
    throw DemoFailure("check failed: the group has other members than " + names(members));
  }
  print_members(first);
  check(true, "all " + std::to_string(members.size()) + " agree on epoch " +
                  std::to_string(first.g().epoch()) + ", the members, authenticator " +
                  hex_prefix(first.g().epoch_authenticator()) + " and an exported secret");
}

// "bob (leaf 1)": the member at `leaf` as `viewer`'s group sees it.
std::string who(Client& viewer, uint32_t leaf) {
  auto m = member_at(viewer.g(), leaf);
  return (m ? identity_of(m->credential) : "?") + " (leaf " + std::to_string(leaf) + ")";
}

std::string describe(const PreSharedKeyID& psk) {
  if (psk.psktype == PSKType::external) {
    return "the external PSK \"" + std::string(psk.psk_id.begin(), psk.psk_id.end()) + "\"";
  }
  static constexpr const char* kUsages[] = {"?", "application", "reinit", "branch"};
  const auto usage = static_cast<size_t>(psk.usage);
  return std::string("a resumption PSK (") + kUsages[usage < std::size(kUsages) ? usage : 0] +
         ") of epoch " + std::to_string(psk.psk_epoch);
}

// What a commit did, in words, as `viewer` (a member after it) sees it.
std::string describe(Client& viewer, const CommitEffects& e) {
  std::string out = "commit by " + who(viewer, e.committer) + ":";
  for (uint32_t leaf : e.added) out += " adds " + who(viewer, leaf) + ",";
  for (uint32_t leaf : e.updated) out += " updates " + who(viewer, leaf) + ",";
  for (const auto& r : e.removed) {
    out += " removes " + identity_of(r.leaf.credential) + " (leaf " + std::to_string(r.leaf_index) +
           "),";
  }
  for (const PreSharedKeyID& psk : e.psks) out += " mixes in " + describe(psk) + ",";
  out += e.has_path ? " new path" : " no path";
  return out + "; now epoch " + std::to_string(e.new_epoch);
}

// Receivers must see a commit do exactly what its committer meant.
bool same_effects(const CommitEffects& a, const CommitEffects& b) {
  auto removed = [](const CommitEffects& e) {
    std::vector<uint32_t> leaves;
    for (const auto& r : e.removed) leaves.push_back(r.leaf_index);
    return leaves;
  };
  return a.committer == b.committer && a.new_epoch == b.new_epoch && a.added == b.added &&
         a.updated == b.updated && removed(a) == removed(b) && a.psks == b.psks &&
         a.has_path == b.has_path;
}

// A proposal from `sender` reaches every other member, who validates and
// caches it for the epoch's commit.
void deliver_proposal(Client& sender, const Bytes& proposal, const Members& members) {
  for (Client* m : members) {
    if (m == &sender) continue;
    auto processed =
        must(m->g().process(proposal), m->name + " processes " + sender.name + "'s proposal");
    if (!std::holds_alternative<CachedProposal>(processed)) {
      throw DemoFailure(m->name + ": " + sender.name + "'s proposal was not cached as a proposal");
    }
  }
}

// A commit that `sender` made and applied reaches every other member: each
// validates it, checks that it does what the sender meant, and merges it.
void deliver_commit(Client& sender, const CommitOutput& out, const Members& members) {
  note(describe(sender, out.effects));
  Members receivers;
  for (Client* m : members) {
    if (m == &sender) continue;
    auto processed =
        must(m->g().process(out.commit), m->name + " processes " + sender.name + "'s commit");
    auto* staged = std::get_if<StagedCommit>(&processed);
    if (staged == nullptr)
      throw DemoFailure(m->name + ": " + sender.name + "'s commit was not staged");
    if (!same_effects(staged->effects(), out.effects)) {
      throw DemoFailure("check failed: " + m->name + " sees " + sender.name +
                        "'s commit do something else");
    }
    if (staged->effects().removes_us) note(m->name + " sees that this commit removes her");
    must(m->g().merge(std::move(*staged)), m->name + " merges " + sender.name + "'s commit");
    receivers.push_back(m);
  }
  if (!receivers.empty())
    check(true, names(receivers) + " processed it, saw the same changes, merged");
}

// `committer` commits (the cached proposals and `options`) and applies it
// once the delivery service accepted it; then it goes to everyone else.
CommitOutput commit_and_deliver(Client& committer, const Members& members,
                                const CommitOptions& options = {}) {
  CommitOutput out = must(committer.g().commit(options), committer.name + " commits");
  must(committer.g().merge_pending_commit(), committer.name + " merges her own commit");
  deliver_commit(committer, out, members);
  return out;
}

// Each member sends one message; every other member decrypts it and must
// get the same text, from the right leaf.
void exchange_messages(const Members& members) {
  for (Client* from : members) {
    const std::string text =
        "hello from " + from->name + " in epoch " + std::to_string(from->g().epoch());
    const Bytes ciphertext = must(from->g().protect(to_bytes(text)), from->name + " encrypts");
    Members readers;
    for (Client* to : members) {
      if (to == from) continue;
      auto processed =
          must(to->g().process(ciphertext), to->name + " decrypts " + from->name + "'s message");
      const auto* message = std::get_if<ApplicationMessage>(&processed);
      if (message == nullptr || message->data != to_bytes(text) ||
          message->sender != from->g().own_leaf()) {
        throw DemoFailure("check failed: " + to->name + " got something else from " + from->name);
      }
      readers.push_back(to);
    }
    check(true, from->name + " -> " + names(readers) + ": \"" + text + "\"");
  }
}

// ---------------------------------------------------------------------------
// The scenario

void run(uint16_t suite) {
  std::printf("=== one group's life under %s ===\n", suite_name(suite).c_str());
  Client alice = Client::make(suite, "alice"), bob = Client::make(suite, "bob"),
         carol = Client::make(suite, "carol"), dave = Client::make(suite, "dave"),
         erin = Client::make(suite, "erin");

  step(1, "alice creates a group");
  alice.group = must(Group::create(alice.identity, alice.config(), to_bytes("demo group")),
                     "alice creates the group");
  Members group = {&alice};
  check_agreement(group);

  step(2, "alice adds bob, carol and dave in one commit; they join from the Welcome");
  CommitOptions add;
  add.add = {bob.publish_key_package(), carol.publish_key_package(), dave.publish_key_package()};
  CommitOutput added = commit_and_deliver(alice, group, add);
  check(added.welcome.has_value() && added.effects.added.size() == 3,
        "one Welcome for three new members");
  for (Client* joiner : {&bob, &carol, &dave}) joiner->join(*added.welcome);
  group = {&alice, &bob, &carol, &dave};
  check_agreement(group);

  step(3, "everyone sends a message, every other member decrypts it");
  exchange_messages(group);

  step(4, "bob proposes an Update, carol commits it; dave commits with only a path");
  const Bytes bob_key = member_at(bob.g(), bob.g().own_leaf())->encryption_key;
  deliver_proposal(bob, must(bob.g().propose_update(), "bob proposes an Update"), group);
  CommitOutput update = commit_and_deliver(carol, group);
  check(update.effects.updated == std::vector<uint32_t>{bob.g().own_leaf()} &&
            member_at(alice.g(), bob.g().own_leaf())->encryption_key != bob_key,
        "bob's leaf has a new encryption key");
  check_agreement(group);
  CommitOutput empty = commit_and_deliver(dave, group);
  check(empty.effects.has_path && empty.effects.added.empty() && empty.effects.removed.empty() &&
            empty.effects.updated.empty(),
        "dave's empty commit only refreshes his path");
  check_agreement(group);

  step(5, "alice removes carol; carol sees that she was removed");
  const uint32_t carol_leaf = carol.g().own_leaf();
  CommitOptions remove;
  remove.remove = {carol_leaf};
  commit_and_deliver(alice, group, remove);
  check(!carol.g().active(), "carol's group is no longer active");
  group = {&alice, &bob, &dave};
  check_agreement(group);
  const Bytes after = must(alice.g().protect(to_bytes("carol cannot read this")), "alice encrypts");
  check_refused(carol.g().process(after), "carol cannot read the group's new messages");
  exchange_messages(group);

  step(6, "erin joins by external commit from a GroupInfo");
  const Bytes group_info = must(bob.g().group_info(), "bob publishes a GroupInfo");
  ExternalJoin joined = must(Group::join_external(erin.identity, group_info, erin.config()),
                             "erin joins by external commit");
  erin.group = std::move(joined.group);
  deliver_commit(erin, joined.commit, group);
  check(erin.g().own_leaf() == carol_leaf,
        "erin takes the leftmost free leaf, carol's old leaf " + std::to_string(carol_leaf));
  group = {&alice, &bob, &dave, &erin};
  check_agreement(group);
  exchange_messages(group);

  step(7, "an external PSK, held by every member, is proposed and committed");
  const Bytes psk_id = to_bytes("demo psk");
  const SecretBytes psk = must(crypto::random_secret(32), "draw the PSK");  // agreed out of band
  for (Client* m : group) m->psks->add_external(psk_id, psk.clone());
  deliver_proposal(dave, must(dave.g().propose_external_psk(psk_id), "dave proposes the PSK"),
                   group);
  CommitOutput with_psk = commit_and_deliver(bob, group);
  check(with_psk.effects.psks.size() == 1 &&
            with_psk.effects.psks[0].psktype == PSKType::external &&
            with_psk.effects.psks[0].psk_id == psk_id,
        "the commit mixes the PSK into the key schedule");
  check_agreement(group);

  const uint16_t next_suite = static_cast<uint16_t>(suite % 7 + 1);
  step(8, "ReInit: a new group id and " + suite_name(next_suite));
  ReInitParams params;
  params.group_id = to_bytes("demo group v2");
  params.cipher_suite = next_suite;
  deliver_proposal(alice, must(alice.g().propose_reinit(params), "alice proposes a ReInit"), group);
  commit_and_deliver(dave, group);  // a commit covering a ReInit holds nothing else
  for (Client* m : group)
    check(m->g().pending_reinit() == params, m->name + "'s old group awaits the ReInit");
  check_refused(bob.g().protect(to_bytes("too late")), "the old group refuses new messages");

  // Signature keys are bound to a cipher suite: everyone makes a new identity.
  Client alice2 = Client::make(next_suite, "alice"), bob2 = Client::make(next_suite, "bob"),
         dave2 = Client::make(next_suite, "dave"), erin2 = Client::make(next_suite, "erin");
  std::vector<KeyPackage> key_packages = {bob2.publish_key_package(), dave2.publish_key_package(),
                                          erin2.publish_key_package()};
  auto [new_group, reinit] = must(alice.g().reinit(alice2.identity, key_packages, alice2.config()),
                                  "alice creates the new group");  // any member could
  alice2.group = std::move(new_group);
  note("alice creates the new group: " + describe(alice2, reinit.effects));
  const uint64_t last_epoch = alice.g().epoch();
  check(reinit.welcome.has_value() && reinit.effects.psks.size() == 1 &&
            reinit.effects.psks[0].usage == ResumptionPSKUsage::reinit &&
            reinit.effects.psks[0].psk_group_id == alice.g().group_id() &&
            reinit.effects.psks[0].psk_epoch == last_epoch,
        "one Welcome, with the resumption PSK of the old group's last epoch " +
            std::to_string(last_epoch));
  bob2.join(*reinit.welcome, &*bob.group);
  dave2.join(*reinit.welcome, &*dave.group);
  erin2.join(*reinit.welcome, &*erin.group);
  Members resumed = {&alice2, &bob2, &dave2, &erin2};
  check(alice2.g().group_id() == params.group_id && alice2.g().suite().id() == next_suite,
        "the new group has the ReInit's group id and cipher suite");
  check_agreement(resumed);
  exchange_messages(resumed);
}

int usage() {
  std::fprintf(stderr, "usage: mls-demo [--suite N | --all-suites]   (N = 1..7, default 1)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<uint16_t> suites = {1};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--all-suites") {
      suites.assign(std::begin(crypto::kAllCipherSuites), std::end(crypto::kAllCipherSuites));
    } else if (arg == "--suite" && i + 1 < argc) {
      const int n = std::atoi(argv[++i]);
      if (n < 1 || n > 7) return usage();
      suites = {static_cast<uint16_t>(n)};
    } else {
      return usage();
    }
  }

  const auto start = std::chrono::steady_clock::now();
  try {
    for (uint16_t suite : suites) {
      run(suite);
      std::printf("\n");
    }
  } catch (const std::exception& failure) {  // a DemoFailure, or the unexpected
    std::printf("\nFAILED: %s\n", failure.what());
    std::printf("demo: FAILED after %d checks passed\n", checks_passed);
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("demo: %d checks passed (%zu cipher suite%s, %.2f s)\n", checks_passed, suites.size(),
              suites.size() == 1 ? "" : "s", seconds);
  return 0;
}
