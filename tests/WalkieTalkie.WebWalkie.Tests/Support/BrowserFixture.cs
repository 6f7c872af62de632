using WalkieTalkie.Badge.Simulation.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>
/// One headless Chromium for a test class (starting one costs seconds on a loaded machine), its fake microphone
/// reading a speech clip, and a folder for the clips and what the badges heard.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string MicrophoneText = "This is mum on the web walkie. Dinner is ready, come home now.";

    public string Folder { get; } = Directory.CreateTempSubdirectory("wt-webtalk-").FullName;

    /// <summary>The WAV the browser's fake microphone loops.</summary>
    public string MicrophoneWav { get; private set; } = "";

    public Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        MicrophoneWav = Speech.Say(MicrophoneText, Path.Combine(Folder, "mum.wav"));
        _ = PublishedClient.Path;
        Chromium = await Chromium.LaunchAsync(MicrophoneWav);
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        Directory.Delete(Folder, true);
    }
}
