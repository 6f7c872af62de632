namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>The <c>type</c> of an Olm ciphertext in an <c>m.room.encrypted</c> to-device event.</summary>
public enum OlmMessageType
{
    /// <summary>A pre-key message: it can start a session on the receiving side.</summary>
    PreKey = 0,
    /// <summary>A normal message on an established session.</summary>
    Normal = 1,
}
