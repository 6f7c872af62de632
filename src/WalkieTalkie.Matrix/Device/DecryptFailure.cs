namespace WalkieTalkie.Matrix.Device;

/// <summary>Why a room event could not be decrypted.</summary>
public enum DecryptFailure
{
    /// <summary>It was decrypted.</summary>
    None,

    /// <summary>The room key has not arrived (yet): the event is tried again after later syncs.</summary>
    MissingKey,

    /// <summary>A replayed message index, a wrong room id, a bad signature or a malformed event: never accepted.</summary>
    Rejected,
}
