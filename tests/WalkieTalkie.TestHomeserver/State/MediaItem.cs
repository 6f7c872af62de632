namespace WalkieTalkie.TestHomeserver.State;

/// <summary>An uploaded file, or a reserved media id (<c>/media/v1/create</c>) whose content is not there yet.</summary>
internal sealed class MediaItem(string mediaId, string owner)
{
    public string MediaId { get; } = mediaId;
    public string Owner { get; } = owner;
    public byte[]? Content { get; set; }
    public string ContentType { get; set; } = "application/octet-stream";
    public string? FileName { get; set; }

    /// <summary>Completes when the content arrives (downloads of a reserved id wait up to <c>timeout_ms</c>).</summary>
    public TaskCompletionSource Uploaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
