using WalkieTalkie.Bridge.Outgoing;

namespace WalkieTalkie.Bridge.Tests.Support;

/// <summary>An <see cref="IThreadStore"/> in memory; sharing one instance between two threaders models a restart.</summary>
internal sealed class MemoryThreadStore : IThreadStore
{
    private readonly Dictionary<string, SessionState> _states = new();

    public SessionState? Load(string channel) => _states.GetValueOrDefault(channel);

    public void Save(string channel, SessionState? state)
    {
        if (state is null)
        {
            _states.Remove(channel);
        }
        else
        {
            _states[channel] = state;
        }
    }
}
