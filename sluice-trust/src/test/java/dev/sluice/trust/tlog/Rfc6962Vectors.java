package dev.sluice.trust.tlog;

import java.util.HexFormat;
import java.util.List;

/**
 * The Certificate Transparency 8-leaf reference tree, as published with RFC 6962 implementations
 * (google/certificate-transparency, transparency-dev/merkle proof/verify_test.go).
 */
final class Rfc6962Vectors {
  private Rfc6962Vectors() {}

  static final List<byte[]> LEAVES =
      List.of(
          bytes(""),
          bytes("00"),
          bytes("10"),
          bytes("2021"),
          bytes("3031"),
          bytes("40414243"),
          bytes("5051525354555657"),
          bytes("606162636465666768696a6b6c6d6e6f"));

  /** ROOTS.get(n - 1) is the root of the tree of the first n leaves. */
  static final List<Hash> ROOTS =
      List.of(
          h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
          h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
          h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
          h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
          h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
          h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
          h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
          h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));

  static final Hash EMPTY_ROOT =
      h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  record InclusionVector(long leafIndex, long treeSize, List<Hash> proof) {}

  record ConsistencyVector(long oldSize, long newSize, List<Hash> proof) {}

  // The published vectors number leaves from 1; these are 0-based indices.
  static final List<InclusionVector> INCLUSION =
      List.of(
          new InclusionVector(0, 1, List.of()),
          new InclusionVector(
              0,
              8,
              List.of(
                  h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                  h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                  h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"))),
          new InclusionVector(
              5,
              8,
              List.of(
                  h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                  h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                  h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))),
          new InclusionVector(
              2, 3, List.of(h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"))),
          new InclusionVector(
              1,
              5,
              List.of(
                  h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
                  h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                  h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"))));

  static final List<ConsistencyVector> CONSISTENCY =
      List.of(
          new ConsistencyVector(1, 1, List.of()),
          new ConsistencyVector(
              1,
              8,
              List.of(
                  h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                  h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                  h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"))),
          new ConsistencyVector(
              6,
              8,
              List.of(
                  h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                  h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                  h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))),
          new ConsistencyVector(
              2,
              5,
              List.of(
                  h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                  h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"))),
          new ConsistencyVector(
              6,
              7,
              List.of(
                  h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                  h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
                  h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))));

  static List<Hash> leafHashes(int n) {
    return LEAVES.subList(0, n).stream().map(MerkleHash::leaf).toList();
  }

  static InMemoryHashReader tree(int n) {
    return InMemoryHashReader.ofLeafHashes(leafHashes(n));
  }

  static Hash root(long size) {
    return size == 0 ? EMPTY_ROOT : ROOTS.get((int) size - 1);
  }

  static Hash h(String hex) {
    return Hash.fromHex(hex);
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
