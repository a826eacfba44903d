// Verification is a type (docs/ARCHITECTURE.md, convention 8): only the two
// unprotect functions of this layer (unprotect_public, unprotect_private) can
// make a Verified<AuthenticatedContent>, so a group function taking one is
// proven by the compiler to see content whose sender was authenticated.
#pragma once

#include "framing/content.h"
#include "tree/verified.h"

namespace mls::framing {
struct PublicMessageVerifier;   // public_message.cpp
struct PrivateMessageVerifier;  // private_message.cpp
}  // namespace mls::framing

namespace mls {

template <>
struct Verifier<framing::AuthenticatedContent> {
 private:
  friend struct framing::PublicMessageVerifier;
  friend struct framing::PrivateMessageVerifier;
  static Verified<framing::AuthenticatedContent> make(framing::AuthenticatedContent content) {
    return Verified<framing::AuthenticatedContent>(std::move(content));
  }
};

}  // namespace mls
