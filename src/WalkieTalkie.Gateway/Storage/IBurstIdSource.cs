namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Burst ids: unique for the site and never reused, whichever gateway hands them out (they key recordings, unplayed
/// queues and the bridge's index). <see cref="Next"/> is called on the engine's loop and must not wait on storage.
/// </summary>
public interface IBurstIdSource
{
    uint Next();
}

/// <summary>Where blocks of burst ids are reserved durably (a row in the shared database).</summary>
public interface IBurstIdReservations
{
    /// <summary>Reserves <paramref name="count"/> ids, none below <paramref name="atLeast"/>; returns the first.</summary>
    uint Reserve(int count, uint atLeast);
}
