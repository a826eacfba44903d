// Proposals (RFC 9420 §12.1) and ProposalOrRef (§12.4).
#pragma once

#include <variant>

#include "codec/codec.h"
#include "messages/extension.h"
#include "messages/key_package.h"
#include "messages/leaf_node.h"
#include "messages/psk_id.h"

namespace mls {

// uint16 ProposalType, "MLS Proposal Types" registry (§17.4). ProposalType
// itself is the uint16 alias of leaf_node.h, since capabilities list values
// this library may not know.
namespace proposal_type {
inline constexpr ProposalType add = 0x0001;
inline constexpr ProposalType update = 0x0002;
inline constexpr ProposalType remove = 0x0003;
inline constexpr ProposalType psk = 0x0004;
inline constexpr ProposalType reinit = 0x0005;
inline constexpr ProposalType external_init = 0x0006;
inline constexpr ProposalType group_context_extensions = 0x0007;
// The default proposal types, which capabilities MUST NOT list (§7.2).
constexpr bool is_default(ProposalType t) { return t >= add && t <= group_context_extensions; }
}  // namespace proposal_type

// struct {
//     KeyPackage key_package;
// } Add;                                                          (§12.1.1)
struct Add {
  KeyPackage key_package;
  static constexpr auto tls_fields() { return std::tuple{&Add::key_package}; }
  bool operator==(const Add&) const = default;
};

// struct {
//     LeafNode leaf_node;
// } Update;                                                       (§12.1.2)
struct Update {
  LeafNode leaf_node;
  static constexpr auto tls_fields() { return std::tuple{&Update::leaf_node}; }
  bool operator==(const Update&) const = default;
};

// struct {
//     uint32 removed;
// } Remove;                                                       (§12.1.3)
struct Remove {
  uint32_t removed = 0;
  static constexpr auto tls_fields() { return std::tuple{&Remove::removed}; }
  bool operator==(const Remove&) const = default;
};

// struct {
//     PreSharedKeyID psk;
// } PreSharedKey;                                                 (§12.1.4)
struct PreSharedKey {
  PreSharedKeyID psk;
  static constexpr auto tls_fields() { return std::tuple{&PreSharedKey::psk}; }
  bool operator==(const PreSharedKey&) const = default;
};

// struct {
//     opaque group_id<V>;
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     Extension extensions<V>;
// } ReInit;                                                       (§12.1.5)
struct ReInit {
  Bytes group_id;
  ProtocolVersion version = kMls10;
  CipherSuiteId cipher_suite = 0;
  ExtensionList extensions;
  static constexpr auto tls_fields() {
    return std::tuple{&ReInit::group_id, &ReInit::version, &ReInit::cipher_suite,
                      &ReInit::extensions};
  }
  bool operator==(const ReInit&) const = default;
};

// struct {
//   opaque kem_output<V>;
// } ExternalInit;                                                 (§12.1.6)
struct ExternalInit {
  Bytes kem_output;
  static constexpr auto tls_fields() { return std::tuple{&ExternalInit::kem_output}; }
  bool operator==(const ExternalInit&) const = default;
};

// struct {
//   Extension extensions<V>;
// } GroupContextExtensions;                                       (§12.1.7)
struct GroupContextExtensions {
  ExtensionList extensions;
  static constexpr auto tls_fields() { return std::tuple{&GroupContextExtensions::extensions}; }
  bool operator==(const GroupContextExtensions&) const = default;
};

// struct {
//     ProposalType proposal_type;
//     select (Proposal.proposal_type) {
//         case add:                      Add;
//         case update:                   Update;
//         case remove:                   Remove;
//         case psk:                      PreSharedKey;
//         case reinit:                   ReInit;
//         case external_init:            ExternalInit;
//         case group_context_extensions: GroupContextExtensions;
//     };
// } Proposal;                                                     (§12.1)
//
// The RFC gives no generic body for other proposal types, so one cannot be
// skipped over: decoding rejects them with unknown_value.
struct Proposal {
  using Body =
      std::variant<Add, Update, Remove, PreSharedKey, ReInit, ExternalInit, GroupContextExtensions>;
  Body body;

  template <typename T>
  static constexpr bool is_body =
      std::is_same_v<T, Add> || std::is_same_v<T, Update> || std::is_same_v<T, Remove> ||
      std::is_same_v<T, PreSharedKey> || std::is_same_v<T, ReInit> ||
      std::is_same_v<T, ExternalInit> || std::is_same_v<T, GroupContextExtensions>;

  Proposal() = default;
  // From one of the bodies above (exactly; no conversions).
  template <typename T>
  requires is_body<std::remove_cvref_t<T>> Proposal(T&& b)
      : body(std::forward<T>(b)) {}  // NOLINT: a proposal is its body

  ProposalType type() const;
  template <typename T>
  const T* get() const {
    return std::get_if<T>(&body);
  }
  template <typename T>
  T* get() {
    return std::get_if<T>(&body);
  }

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, Proposal& out);
  bool operator==(const Proposal&) const = default;
};

// opaque HashReference<V>; HashReference ProposalRef;             (§5.2)
// MakeProposalRef is crypto::make_proposal_ref over an AuthenticatedContent.
using ProposalRef = Bytes;

// enum {
//   reserved(0),
//   proposal(1),
//   reference(2),
//   (255)
// } ProposalOrRefType;
//
// struct {
//   ProposalOrRefType type;
//   select (ProposalOrRef.type) {
//     case proposal:  Proposal proposal;
//     case reference: ProposalRef reference;
//   };
// } ProposalOrRef;                                                (§12.4)
enum class ProposalOrRefType : uint8_t { proposal = 1, reference = 2 };

struct ProposalOrRef {
  std::variant<Proposal, ProposalRef> content;

  ProposalOrRef() = default;
  ProposalOrRef(Proposal p) : content(std::move(p)) {}  // NOLINT
  static ProposalOrRef reference(ProposalRef ref) {
    ProposalOrRef out;
    out.content = std::move(ref);
    return out;
  }

  ProposalOrRefType type() const {
    return content.index() == 0 ? ProposalOrRefType::proposal : ProposalOrRefType::reference;
  }
  const Proposal* proposal() const { return std::get_if<Proposal>(&content); }
  const ProposalRef* ref() const { return std::get_if<ProposalRef>(&content); }

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, ProposalOrRef& out);
  bool operator==(const ProposalOrRef&) const = default;
};

}  // namespace mls
