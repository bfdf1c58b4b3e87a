using AgentHost.Core.Audit.Merkle;

namespace AgentHost.Tests.Audit;

/// <summary>The published RFC 6962 vectors of Certificate Transparency's reference implementations.</summary>
public sealed class MerkleVectorTests
{
    private static readonly byte[][] Inputs = new[]
        { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
        .Select(Convert.FromHexString).ToArray();

    private static readonly string[] Roots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static readonly byte[][] PathOfLeaf0In8 = new[]
        { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
         "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
         "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" }
        .Select(Convert.FromHexString).ToArray();

    private static readonly byte[][] Leaves = Inputs.Select(input => MerkleHash.HashLeaf(input)).ToArray();

    public static TheoryData<int> Sizes() => [0, 1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Root_MatchesPublishedVector(int size)
    {
        Convert.ToHexStringLower(MerkleProofs.Root(Leaves, size)).ShouldBe(Roots[size]);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Builder_MatchesPublishedVector(int size)
    {
        var builder = new MerkleTreeBuilder();
        foreach (var leaf in Leaves.Take(size))
        {
            builder.Append(leaf);
        }

        builder.Size.ShouldBe(size);
        Convert.ToHexStringLower(builder.Root()).ShouldBe(Roots[size]);
    }

    [Fact]
    public void InclusionProof_Leaf0In8_IsThePublishedPathAndVerifies()
    {
        var proof = MerkleProofs.InclusionProof(Leaves, 0, 8);

        proof.Select(Convert.ToHexStringLower).ShouldBe(PathOfLeaf0In8.Select(Convert.ToHexStringLower));
        MerkleProofs.VerifyInclusion(Leaves[0], 0, 8, proof, Root(8)).ShouldBeTrue();
    }

    [Fact]
    public void ConsistencyProofs_PublishedVectors_AreGeneratedAndVerify()
    {
        var from1 = MerkleProofs.ConsistencyProof(Leaves, 1, 8);
        var from4 = MerkleProofs.ConsistencyProof(Leaves, 4, 8);

        from1.Select(Convert.ToHexStringLower).ShouldBe(PathOfLeaf0In8.Select(Convert.ToHexStringLower));
        from4.Select(Convert.ToHexStringLower).ShouldBe([Convert.ToHexStringLower(PathOfLeaf0In8[2])]);
        MerkleProofs.VerifyConsistency(1, 8, Root(1), Root(8), from1).ShouldBeTrue();
        MerkleProofs.VerifyConsistency(4, 8, Root(4), Root(8), from4).ShouldBeTrue();
    }

    [Fact]
    public void InclusionProof_AnyOneBitChange_IsRejected()
    {
        foreach (var (proof, i, bit) in Mutations(PathOfLeaf0In8))
        {
            MerkleProofs.VerifyInclusion(Leaves[0], 0, 8, proof, Root(8)).ShouldBeFalse($"bit {bit} of hash {i}");
        }

        foreach (var bit in new[] { 0, 77, 255 })
        {
            MerkleProofs.VerifyInclusion(Flip(Leaves[0], bit), 0, 8, PathOfLeaf0In8, Root(8)).ShouldBeFalse("changed leaf");
            MerkleProofs.VerifyInclusion(Leaves[0], 0, 8, PathOfLeaf0In8, Flip(Root(8), bit)).ShouldBeFalse("changed root");
        }
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(0, 4)]
    [InlineData(0, 9)]
    [InlineData(0, 16)]
    [InlineData(8, 8)]
    [InlineData(-1, 8)]
    // Sizes 5 to 7 give leaf 0 a path of the same shape as size 8, so no RFC 9162 verifier can tell them
    // apart from the path alone; the root, signed with its size in a checkpoint, is what binds the size.
    public void InclusionProof_WrongIndexOrSize_IsRejected(long index, long size)
    {
        MerkleProofs.VerifyInclusion(Leaves[0], index, size, PathOfLeaf0In8, Root(8)).ShouldBeFalse();
    }

    [Fact]
    public void InclusionProof_TruncatedOrExtended_IsRejected()
    {
        MerkleProofs.VerifyInclusion(Leaves[0], 0, 8, PathOfLeaf0In8[..2], Root(8)).ShouldBeFalse();
        MerkleProofs.VerifyInclusion(Leaves[0], 0, 8, [.. PathOfLeaf0In8, PathOfLeaf0In8[0]], Root(8)).ShouldBeFalse();
        MerkleProofs.VerifyInclusion(Leaves[0], 0, 8, [], Root(8)).ShouldBeFalse();
    }

    [Fact]
    public void ConsistencyProofs_AnyOneBitChange_IsRejected()
    {
        foreach (var (proof, i, bit) in Mutations(PathOfLeaf0In8))
        {
            MerkleProofs.VerifyConsistency(1, 8, Root(1), Root(8), proof).ShouldBeFalse($"1->8 bit {bit} of hash {i}");
        }

        foreach (var (proof, i, bit) in Mutations([PathOfLeaf0In8[2]]))
        {
            MerkleProofs.VerifyConsistency(4, 8, Root(4), Root(8), proof).ShouldBeFalse($"4->8 bit {bit} of hash {i}");
        }

        MerkleProofs.VerifyConsistency(4, 8, Flip(Root(4), 3), Root(8), [PathOfLeaf0In8[2]]).ShouldBeFalse();
        MerkleProofs.VerifyConsistency(4, 8, Root(4), Flip(Root(8), 200), [PathOfLeaf0In8[2]]).ShouldBeFalse();
    }

    [Theory]
    [InlineData(4, 7)]
    [InlineData(3, 8)]
    [InlineData(5, 8)]
    [InlineData(8, 4)]
    public void ConsistencyProof_WrongSizes_IsRejected(long from, long to)
    {
        var fromRoot = Root((int)Math.Min(from, 8));
        var toRoot = Root((int)Math.Min(to, 8));
        MerkleProofs.VerifyConsistency(from, to, fromRoot, toRoot, [PathOfLeaf0In8[2]]).ShouldBeFalse();
        MerkleProofs.VerifyConsistency(4, 8, Root(4), Root(8), []).ShouldBeFalse();
        MerkleProofs.VerifyConsistency(4, 8, Root(4), Root(8), [PathOfLeaf0In8[2], PathOfLeaf0In8[1]]).ShouldBeFalse();
    }

    [Fact]
    public void ConsistencyProof_SameSizeOrFromEmpty_FollowsTheDocumentedRule()
    {
        MerkleProofs.VerifyConsistency(8, 8, Root(8), Root(8), []).ShouldBeTrue();
        MerkleProofs.VerifyConsistency(8, 8, Root(8), Root(7), []).ShouldBeFalse();
        MerkleProofs.VerifyConsistency(0, 8, Root(0), Root(8), []).ShouldBeTrue();
        MerkleProofs.VerifyConsistency(0, 8, Root(1), Root(8), []).ShouldBeFalse();
    }

    private static byte[] Root(int size) => Convert.FromHexString(Roots[size]);

    private static byte[] Flip(byte[] hash, int bit)
    {
        var copy = (byte[])hash.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static IEnumerable<(byte[][] Proof, int Index, int Bit)> Mutations(byte[][] proof)
    {
        for (var i = 0; i < proof.Length; i++)
        {
            for (var bit = 0; bit < 256; bit += 7)
            {
                var mutated = proof.ToArray();
                mutated[i] = Flip(proof[i], bit);
                yield return (mutated, i, bit);
            }
        }
    }
}
