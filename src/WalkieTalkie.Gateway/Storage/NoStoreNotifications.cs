namespace WalkieTalkie.Gateway.Storage;

/// <summary>Nothing pushed (SQLite: one gateway, and no notifications across processes): readers poll.</summary>
public sealed class NoStoreNotifications : IStoreNotifications
{
    public bool Pushed => false;

    public IDisposable Subscribe(string topic, Action changed) => Nothing.Instance;

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}
