using System.Globalization;
using System.Text;
using System.Text.Json;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Provision.SiteSettings;

/// <summary>
/// Turns nf.settings.json into <c>SiteSettings.g.cs</c>, the firmware's compile-time constants: every pin (GPIO,
/// device function, active level, wake mask), the I2S set-up, audio, buttons, battery, broker and sleep values. The
/// firmware never parses JSON; what the file says is checked here against what the firmware's adapters can do.
/// </summary>
public static class SiteSettingsGenerator
{
    /// <summary>The pins the firmware wires; each must be in nf.settings.json.</summary>
    public static readonly string[] RequiredPins =
    [
        "micBitClock", "micWordSelect", "micData", "ampBitClock", "ampWordSelect", "ampData", "ampShutdown",
        "pttButton", "channelButton", "led", "batterySense",
    ];

    private static readonly string[] I2sModes = ["Master", "Slave", "Tx", "Rx", "DacBuiltIn", "AdcBuiltIn", "Pdm"];
    private static readonly string[] ChannelFormats = ["RightLeft", "AllRight", "AllLeft", "OnlyRight", "OnlyLeft"];
    private static readonly string[] CommunicationFormats = ["I2S", "Msb", "PcmShort", "PcmLong"];
    private static readonly int[] RtcGpios = [0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39];

    /// <summary>The C# source for <paramref name="json"/> (the text of nf.settings.json).</summary>
    /// <exception cref="SettingsException">Not JSON, a field missing or of the wrong type, or a value the firmware cannot use.</exception>
    public static string Generate(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new SettingsException($"nf.settings.json is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (Int(root, "schemaVersion") != 1)
            {
                throw new SettingsException("schemaVersion: only 1 is known");
            }

            var code = new SourceWriter();
            var board = Object(root, "board");
            code.Constant("string", "Target", Quote(String(board, "target")), "The nanoFramework firmware target flashed with nanoff.");
            code.Constant("bool", "Psram", Bool(board, "psram"), "Whether the module has PSRAM.");

            WritePins(code, Object(root, "pins"));
            WriteAudio(code, Object(root, "audio"));

            var buttons = Object(root, "buttons");
            code.Section("Buttons");
            code.Constant("int", "DebounceMilliseconds", Positive(buttons, "debounceMilliseconds"), "Native debounce of both buttons.");
            code.Constant("int", "LongPressMilliseconds", Positive(buttons, "longPressMilliseconds"), "A press held this long is a long press.");
            var longPress = int.Parse(Positive(buttons, "longPressMilliseconds"), CultureInfo.InvariantCulture);
            var sosHold = int.Parse(Positive(buttons, "sosHoldMilliseconds"), CultureInfo.InvariantCulture);
            if (sosHold <= longPress)
            {
                // The second button's long press (do-not-disturb) must stay reachable below the SOS hold.
                throw new SettingsException("buttons.sosHoldMilliseconds must be above buttons.longPressMilliseconds");
            }

            code.Constant("int", "SosHoldMilliseconds", sosHold.ToString(CultureInfo.InvariantCulture),
                "The second button held this long opens an emergency (SOS), or cancels the badge's own.");
            code.Constant("int", "SosMicrophoneSeconds", Positive(buttons, "sosMicrophoneSeconds"),
                "How long an emergency keeps the microphone open without push-to-talk.");

            var battery = Object(root, "battery");
            code.Section("Battery");
            code.Constant("int", "BatteryDividerTopOhms", Positive(battery, "dividerTopOhms"), "Divider resistor from the cell to the sense pin.");
            code.Constant("int", "BatteryDividerBottomOhms", Positive(battery, "dividerBottomOhms"), "Divider resistor from the sense pin to GND.");
            var low = int.Parse(Positive(battery, "lowMillivolts"), CultureInfo.InvariantCulture);
            var empty = int.Parse(Positive(battery, "emptyMillivolts"), CultureInfo.InvariantCulture);
            if (empty >= low)
            {
                throw new SettingsException("battery.emptyMillivolts must be below battery.lowMillivolts");
            }

            code.Constant("int", "BatteryLowMillivolts", low, "Below this the badge warns.");
            code.Constant("int", "BatteryEmptyMillivolts", empty, "Below this the badge sleeps until push-to-talk.");

            var broker = Object(root, "broker");
            code.Section("Broker");
            code.Constant("string", "BrokerHost", Quote(String(broker, "host")), "The site's MQTT broker (provisioning may override it per badge).");
            var port = int.Parse(Positive(broker, "port"), CultureInfo.InvariantCulture);
            if (port > 65535)
            {
                throw new SettingsException("broker.port must be 1-65535");
            }

            code.Constant("int", "BrokerPort", port, "The broker's port.");
            code.Constant("bool", "BrokerTls", Bool(broker, "tls"), "MQTT over TLS.");
            code.Constant("bool", "ValidateServerCertificate", Bool(broker, "validateServerCertificate"), "Check the broker's certificate against the provisioned CA.");
            code.Constant("int", "KeepAliveSeconds", Positive(broker, "keepAliveSeconds"), "MQTT keep-alive.");

            var sleep = Object(root, "sleep");
            code.Section("Sleep");
            code.Constant("int", "PocketCheckInSeconds", Positive(sleep, "pocketCheckInSeconds"), "Pocket (deep sleep) timer wake until the gateway's config says otherwise.");
            code.Constant("int", "StandbyToPocketAfterSeconds", Int(sleep, "standbyToPocketAfterSeconds"), "Standby this long without use: pocket (0: never).");
            return code.ToString();
        }
    }

    private static void WritePins(SourceWriter code, JsonElement pins)
    {
        foreach (var name in RequiredPins)
        {
            if (!pins.TryGetProperty(name, out _))
            {
                throw new SettingsException($"pins.{name} is missing: the firmware uses it");
            }
        }

        foreach (var pin in pins.EnumerateObject())
        {
            var prefix = Pascal(pin.Name);
            RequireObject(pin.Value, "gpio");
            var gpio = Int(pin.Value, "gpio", $"pins.{pin.Name}");
            if (gpio < 0 || gpio > 39)
            {
                throw new SettingsException($"pins.{pin.Name}.gpio must be 0-39");
            }

            code.Section($"Pin {pin.Name}");
            code.Constant("int", prefix + "Gpio", gpio.ToString(CultureInfo.InvariantCulture), $"GPIO of {pin.Name}.");
            if (pin.Value.TryGetProperty("deviceFunction", out var function))
            {
                var text = TextOf(function);
                if (!IsDeviceFunction(text))
                {
                    throw new SettingsException($"pins.{pin.Name}.deviceFunction: {text} is not a DeviceFunction the firmware knows (I2Sn_*, ADC1_CHn)");
                }

                code.Constant("DeviceFunction", prefix + "Function", "DeviceFunction." + text, $"What {pin.Name} is assigned to before its bus opens.");
                if (text.StartsWith("ADC1_CH", StringComparison.Ordinal))
                {
                    code.Constant("int", prefix + "AdcChannel", text["ADC1_CH".Length..], $"The ADC channel number of {pin.Name}.");
                }
            }

            if (pin.Value.TryGetProperty("activeLevel", out var level))
            {
                var active = TextOf(level) switch
                {
                    "high" => "true",
                    "low" => "false",
                    _ => throw new SettingsException($"pins.{pin.Name}.activeLevel must be high or low"),
                };
                code.Constant("bool", prefix + "ActiveHigh", active, $"True when {pin.Name} is on or pressed at the high level.");
            }

            if (pin.Value.TryGetProperty("wake", out var wake))
            {
                if (TextOf(wake) != "ext1")
                {
                    throw new SettingsException($"pins.{pin.Name}.wake: the firmware wakes by ext1 only (ext0 had bugs in nanoFramework)");
                }

                if (System.Array.IndexOf(RtcGpios, gpio) < 0)
                {
                    throw new SettingsException($"pins.{pin.Name}: GPIO {gpio} is not an RTC GPIO and cannot wake the ESP32");
                }

                code.Constant("Sleep.WakeupGpioPin", prefix + "WakeMask", "Sleep.WakeupGpioPin.Pin" + gpio, $"The ext1 wake mask of {pin.Name}.");
            }
        }
    }

    private static void WriteAudio(SourceWriter code, JsonElement audio)
    {
        code.Section("Audio");
        var rate = Positive(audio, "sampleRate");
        var allowed = IntegerArray(audio, "allowedSampleRates").Select(r => r.GetInt32()).ToArray();
        if (allowed.Length == 0 || allowed.Any(r => r is not (8000 or 16000)) || !allowed.Contains(int.Parse(rate, CultureInfo.InvariantCulture)))
        {
            throw new SettingsException("audio: allowedSampleRates must be 8000 and/or 16000 and include sampleRate");
        }

        code.Constant("int", "SampleRate", rate, "Default capture and playback rate in Hz.");
        code.Constant("int", "MaxSampleRate", allowed.Max().ToString(CultureInfo.InvariantCulture), "The highest allowed rate: buffers are sized for it.");
        var samplesPerBlock = Positive(audio, "samplesPerBlock");
        var fixedByProtocol = ImaAdpcm.DefaultSamplesPerBlock.ToString(CultureInfo.InvariantCulture);
        if (samplesPerBlock != fixedByProtocol)
        {
            throw new SettingsException($"audio.samplesPerBlock is fixed by the protocol at {fixedByProtocol}");
        }

        code.Constant("int", "SamplesPerBlock", samplesPerBlock, "Samples per IMA-ADPCM block (fixed by the protocol).");
        var blocks = int.Parse(Positive(audio, "blocksPerMessage"), CultureInfo.InvariantCulture);
        if (blocks > 8)
        {
            throw new SettingsException("audio.blocksPerMessage must be 1-8");
        }

        code.Constant("int", "BlocksPerMessage", blocks.ToString(CultureInfo.InvariantCulture), "ADPCM blocks per MQTT message until the gateway's config says otherwise.");

        var capture = Object(audio, "capture");
        var captureMode = Mode(capture, "audio.capture");
        if (!captureMode.Contains("Master") || !captureMode.Contains("Rx") || captureMode.Contains("Pdm") || captureMode.Contains("Tx"))
        {
            throw new SettingsException("audio.capture.mode must be Master|Rx (Pdm drops the data-in pin of an I2S microphone)");
        }

        if (Int(capture, "bitsPerSample") != 32 || String(capture, "channelFormat") != "RightLeft")
        {
            throw new SettingsException("audio.capture must read 32-bit RightLeft frames: the receive DMA runs in 32-bit stereo and the firmware picks the mic's slot");
        }

        var slot = String(capture, "micSlot");
        if (slot is not ("left" or "right"))
        {
            throw new SettingsException("audio.capture.micSlot must be left or right");
        }

        var captureBuffer = Int(capture, "dmaBufferBytes");
        if (captureBuffer < 4096)
        {
            throw new SettingsException("audio.capture.dmaBufferBytes must be at least 4096 (two DMA descriptors of 256 stereo 32-bit frames)");
        }

        code.Constant("int", "CaptureI2sBus", Positive(capture, "i2sBus"), "I2S bus of the microphone (1-based).");
        code.Constant("I2sMode", "CaptureMode", captureMode, "Microphone bus mode (set explicitly: the API's default is Pdm).");
        code.Constant("I2sCommunicationFormat", "CaptureCommunicationFormat", Format(capture, "audio.capture"), "Microphone frame format.");
        code.Constant("I2sBitsPerSample", "CaptureBitsPerSample", "I2sBitsPerSample.Bit32", "The receive DMA's slot width.");
        code.Constant("I2sChannelFormat", "CaptureChannelFormat", "I2sChannelFormat.RightLeft", "Stereo frames; the mic's slot is picked in code.");
        code.Constant("bool", "MicSlotIsLeft", slot == "left" ? "true" : "false", "Which slot of each frame is the microphone's.");
        code.Constant("int", "CaptureReadMilliseconds", Positive(capture, "readMilliseconds"), "Audio per I2S read (a read blocks every managed thread).");
        code.Constant("int", "CaptureDmaBufferBytes", captureBuffer.ToString(CultureInfo.InvariantCulture), "Receive DMA buffering in bytes.");

        var playback = Object(audio, "playback");
        var playbackMode = Mode(playback, "audio.playback");
        if (!playbackMode.Contains("Master") || !playbackMode.Contains("Tx") || playbackMode.Contains("Rx") || playbackMode.Contains("Pdm"))
        {
            throw new SettingsException("audio.playback.mode must be Master|Tx");
        }

        if (Int(playback, "bitsPerSample") != 16)
        {
            throw new SettingsException("audio.playback.bitsPerSample must be 16: the firmware writes 16-bit samples");
        }

        var channelFormat = String(playback, "channelFormat");
        if (channelFormat is not ("OnlyLeft" or "OnlyRight"))
        {
            throw new SettingsException("audio.playback.channelFormat must be OnlyLeft or OnlyRight: the firmware writes mono");
        }

        var playbackBuffer = Int(playback, "dmaBufferBytes");
        if (playbackBuffer < 1024)
        {
            throw new SettingsException("audio.playback.dmaBufferBytes must be at least 1024");
        }

        code.Constant("int", "PlaybackI2sBus", Positive(playback, "i2sBus"), "I2S bus of the amplifier (1-based).");
        code.Constant("I2sMode", "PlaybackMode", playbackMode, "Amplifier bus mode.");
        code.Constant("I2sCommunicationFormat", "PlaybackCommunicationFormat", Format(playback, "audio.playback"), "Amplifier frame format.");
        code.Constant("I2sBitsPerSample", "PlaybackBitsPerSample", "I2sBitsPerSample.Bit16", "16-bit samples.");
        code.Constant("I2sChannelFormat", "PlaybackChannelFormat", "I2sChannelFormat." + channelFormat, "Mono out.");
        code.Constant("int", "PlaybackWriteMilliseconds", Positive(playback, "writeMilliseconds"), "Audio per I2S write of a tone.");
        code.Constant("int", "PlaybackDmaBufferBytes", playbackBuffer.ToString(CultureInfo.InvariantCulture), "Transmit DMA buffering in bytes.");
        code.Constant("int", "AmpWakeMilliseconds", Int(playback, "ampWakeMilliseconds"), "Wait after powering the amplifier before the first sample.");
    }

    private static string Mode(JsonElement parent, string path)
    {
        var parts = String(parent, "mode").Split('|', StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            if (System.Array.IndexOf(I2sModes, part) < 0)
            {
                throw new SettingsException($"{path}.mode: {part} is not an I2sMode ({string.Join(", ", I2sModes)})");
            }
        }

        return string.Join(" | ", parts.Select(p => "I2sMode." + p));
    }

    private static string Format(JsonElement parent, string path)
    {
        var format = String(parent, "communicationFormat");
        if (System.Array.IndexOf(CommunicationFormats, format) < 0)
        {
            throw new SettingsException($"{path}.communicationFormat: {format} is not an I2sCommunicationFormat");
        }

        return "I2sCommunicationFormat." + format;
    }

    private static bool IsDeviceFunction(string text)
    {
        if (text.StartsWith("ADC1_CH", StringComparison.Ordinal))
        {
            return int.TryParse(text["ADC1_CH".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var channel) && channel is >= 0 and <= 7;
        }

        return text is "I2S1_MCK" or "I2S1_BCK" or "I2S1_WS" or "I2S1_DATA_OUT" or "I2S1_MDATA_IN"
            or "I2S2_MCK" or "I2S2_BCK" or "I2S2_WS" or "I2S2_DATA_OUT" or "I2S2_MDATA_IN";
    }

    /// <summary>micBitClock becomes MicBitClock.</summary>
    internal static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private static string Quote(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c > 0x7E || c is '"' or '\\')
            {
                throw new SettingsException($"\"{text}\": only printable ASCII without quotes or backslashes is allowed");
            }
        }

        return "\"" + text + "\"";
    }

    private static JsonElement Object(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw new SettingsException($"\"{name}\" must be an object");
        }

        return value;
    }

    private static JsonElement.ArrayEnumerator IntegerArray(JsonElement parent, string name)
    {
        RequireObject(parent, name);
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array
            || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out _)))
        {
            throw new SettingsException($"\"{name}\" must be an array of integers");
        }

        return value.EnumerateArray();
    }

    private static int Int(JsonElement parent, string name, string? path = null)
    {
        RequireObject(parent, name);
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw new SettingsException($"\"{(path is null ? name : path + "." + name)}\" must be an integer");
        }

        return number;
    }

    /// <summary>The element's string, or "" when it is not a string.</summary>
    private static string TextOf(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() ?? "" : "";

    private static void RequireObject(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            throw new SettingsException($"the object holding \"{name}\" is not a JSON object");
        }
    }

    private static string Positive(JsonElement parent, string name)
    {
        var number = Int(parent, name);
        if (number <= 0)
        {
            throw new SettingsException($"\"{name}\" must be positive");
        }

        return number.ToString(CultureInfo.InvariantCulture);
    }

    private static string Bool(JsonElement parent, string name)
    {
        RequireObject(parent, name);
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new SettingsException($"\"{name}\" must be true or false");
        }

        return value.GetBoolean() ? "true" : "false";
    }

    private static string String(JsonElement parent, string name)
    {
        RequireObject(parent, name);
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
        {
            throw new SettingsException($"\"{name}\" must be a non-empty string");
        }

        return value.GetString()!;
    }
}
