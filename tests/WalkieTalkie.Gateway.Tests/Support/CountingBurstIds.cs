using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>Burst ids counted from a first one, for tests that drive the floor without storage.</summary>
public sealed class CountingBurstIds(uint first) : IBurstIdSource
{
    private uint _next = first;

    public uint Next() => _next++;
}
