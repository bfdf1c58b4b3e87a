using System.Security.Cryptography;
using AgentHost.Core.Audit.Merkle;

namespace AgentHost.Tests.Audit;

public sealed class MerklePropertyTests
{
    [Fact]
    public void EveryProof_OfRandomTrees_Verifies_AndBuilderAgreesWithRoot()
    {
        var random = new Random(6962);
        var leaves = Enumerable.Range(0, 140).Select(_ => MerkleHash.HashLeaf(RandomNumberGenerator.GetBytes(random.Next(0, 64)))).ToArray();
        var builder = new MerkleTreeBuilder();
        var roots = new List<byte[]> { MerkleProofs.Root(leaves, 0) };
        for (var n = 1; n <= leaves.Length; n++)
        {
            builder.Append(leaves[n - 1]);
            var root = MerkleProofs.Root(leaves, n);
            builder.Root().ShouldBe(root, $"size {n}");
            roots.Add(root);
        }

        for (var n = 1; n <= leaves.Length; n += random.Next(1, 9))
        {
            for (var i = 0; i < n; i++)
            {
                var proof = MerkleProofs.InclusionProof(leaves, i, n);
                MerkleProofs.VerifyInclusion(leaves[i], i, n, proof, roots[n]).ShouldBeTrue($"leaf {i} in {n}");
                if (n > 1)
                {
                    MerkleProofs.VerifyInclusion(leaves[i], (i + 1) % n, n, proof, roots[n]).ShouldBeFalse($"leaf {i} claimed at {(i + 1) % n} in {n}");
                }
            }

            for (var m = 0; m <= n; m++)
            {
                var proof = MerkleProofs.ConsistencyProof(leaves, m, n);
                MerkleProofs.VerifyConsistency(m, n, roots[m], roots[n], proof).ShouldBeTrue($"{m} -> {n}");
                if (m > 0 && m < n)
                {
                    MerkleProofs.VerifyConsistency(m, n, roots[m - 1], roots[n], proof).ShouldBeFalse($"wrong old root {m} -> {n}");
                }
            }
        }
    }

    [Fact]
    public void HashLeaf_LargeInput_EqualsSha256WithPrefix()
    {
        var data = RandomNumberGenerator.GetBytes(5000);

        MerkleHash.HashLeaf(data).ShouldBe(SHA256.HashData([0x00, .. data]));
        MerkleHash.HashLeaf(data.AsSpan(0, 100)).ShouldBe(SHA256.HashData([0x00, .. data.AsSpan(0, 100)]));
    }
}
