using System.Diagnostics;
using Xunit;

namespace WalkieTalkie.Device.Tests.Tools;

/// <summary>scripts/flash-badge checks its inputs and, with --dry-run, prints the nanoff commands it would run.</summary>
public sealed class FlashBadgeScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flash-badge-").FullName;
    private readonly string _image;

    public FlashBadgeScriptTests()
    {
        _image = Path.Combine(_folder, "WalkieTalkie.Device.bin");
        File.WriteAllBytes(_image, [1, 2, 3, 4]);
    }

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void A_dry_run_prints_the_firmware_update_then_the_deploy_for_the_settings_target()
    {
        var (code, stdout, stderr) = Run("--port", "/dev/ttyUSB7", "--image", _image, "--dry-run");

        Assert.True(code == 0, stderr);
        var commands = Commands(stdout);
        Assert.Equal(
        [
            "nanoff --update --target ESP32_PSRAM_REV3 --serialport /dev/ttyUSB7",
            $"nanoff --target ESP32_PSRAM_REV3 --serialport /dev/ttyUSB7 --deploy --image {_image}",
        ], commands);
    }

    [Fact]
    public void Provisioning_adds_the_network_and_file_deployments_and_masserase_is_passed_on()
    {
        var provision = Directory.CreateDirectory(Path.Combine(_folder, "anna")).FullName;
        foreach (var file in new[] { "network.json", "files.json", "badge.cfg", "ca.pem" })
        {
            File.WriteAllText(Path.Combine(provision, file), "x");
        }

        var (code, stdout, stderr) = Run("--port", "COM3", "--image", _image, "--provision", provision, "--masserase", "--dry-run");

        Assert.True(code == 0, stderr);
        Assert.Equal(
        [
            "nanoff --update --target ESP32_PSRAM_REV3 --serialport COM3 --masserase",
            $"nanoff --target ESP32_PSRAM_REV3 --serialport COM3 --deploy --image {_image}",
            $"nanoff --serialport COM3 --networkdeployment {provision}/network.json",
            $"nanoff --serialport COM3 --filedeployment {provision}/files.json",
        ], Commands(stdout));
    }

    [Fact]
    public void The_target_comes_from_the_settings_file()
    {
        var settings = Path.Combine(_folder, "s3.json");
        File.WriteAllText(settings, """{"board": {"target": "ESP32_S3_QUAD"}}""");

        var (code, stdout, _) = Run("--port", "/dev/ttyACM0", "--image", _image, "--settings", settings, "--skip-firmware", "--dry-run");

        Assert.Equal(0, code);
        Assert.Equal([$"nanoff --target ESP32_S3_QUAD --serialport /dev/ttyACM0 --deploy --image {_image}"], Commands(stdout));
    }

    [Theory]
    [InlineData("no --port", "--port is required")]
    [InlineData("bad port", "is not a serial port")]
    [InlineData("no image", "--image is required")]
    [InlineData("missing image", "does not exist")]
    [InlineData("empty image", "is empty")]
    [InlineData("not a bin", "not a .bin")]
    [InlineData("incomplete provision", "has no files.json")]
    [InlineData("unknown target", "is not an ESP32 target")]
    [InlineData("unknown option", "unknown argument")]
    public void Bad_inputs_are_refused_before_anything_runs(string problem, string message)
    {
        var empty = Path.Combine(_folder, "empty.bin");
        File.WriteAllBytes(empty, []);
        var elf = Path.Combine(_folder, "app.pe");
        File.WriteAllBytes(elf, [1]);
        var partial = Directory.CreateDirectory(Path.Combine(_folder, "partial")).FullName;
        File.WriteAllText(Path.Combine(partial, "network.json"), "x");
        var settings = Path.Combine(_folder, "bad.json");
        File.WriteAllText(settings, """{"board": {"target": "ESP32_WROOM_32"}}""");

        string[] arguments = problem switch
        {
            "no --port" => ["--image", _image],
            "bad port" => ["--port", "ttyUSB0", "--image", _image],
            "no image" => ["--port", "/dev/ttyUSB0"],
            "missing image" => ["--port", "/dev/ttyUSB0", "--image", Path.Combine(_folder, "nope.bin")],
            "empty image" => ["--port", "/dev/ttyUSB0", "--image", empty],
            "not a bin" => ["--port", "/dev/ttyUSB0", "--image", elf],
            "incomplete provision" => ["--port", "/dev/ttyUSB0", "--image", _image, "--provision", partial],
            "unknown target" => ["--port", "/dev/ttyUSB0", "--image", _image, "--settings", settings],
            _ => ["--port", "/dev/ttyUSB0", "--image", _image, "--fast"],
        };

        var (code, stdout, stderr) = Run([.. arguments, "--dry-run"]);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("nanoff", stdout);
    }

    private static string[] Commands(string stdout) => stdout.Split('\n')
        .Where(line => line.StartsWith("  nanoff ", StringComparison.Ordinal))
        .Select(line => line.Trim())
        .ToArray();

    private static (int Code, string Stdout, string Stderr) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryFiles.PathOf("scripts/flash-badge"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), "flash-badge did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
