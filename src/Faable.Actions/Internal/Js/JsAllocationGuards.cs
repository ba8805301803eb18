using System.Globalization;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// Refuses, before it is made, any single allocation larger than half of <see cref="ActionLimits.MaxMemoryBytes"/> that one
/// built-in call could make: <c>repeat</c>, <c>padStart</c>, <c>padEnd</c>, <c>String.prototype.concat</c>,
/// <c>Array.prototype.join</c> (and <c>toString</c>, which calls it), typed arrays and array buffers of any kind.
/// (Arrays are bounded by <see cref="ActionLimits.MaxArraySize"/>, <c>a + b</c> by the interpreter's counter, see
/// <see cref="JsRunConstraint"/>.) Also re-times a regular expression whose timeout is longer than the time left
/// whenever it is used, so no match runs past the budget. The built-ins are wrapped in proxies whose traps only
/// check and then forward, so names, lengths, prototypes and <c>instanceof</c> stay what the script expects.
/// </summary>
internal static class JsAllocationGuards
{
    private static readonly string[] TypedArrays =
    [
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
    ];

    /// <summary>
    /// Installs every guard. With <paramref name="buffersOnFirstUse"/>, the guards of typed arrays and array buffers
    /// (and the constructors themselves, which the engine builds only when reached) are made when a script first reads
    /// one of their globals, all of them at once: no built-in returns a typed array or buffer to code that never
    /// named one, so until then there is nothing to guard. A host that hands such objects to the script itself (the
    /// web globals) must not use it.
    /// </summary>
    public static void Install(Engine engine, ActionLimits limits, JsRunConstraint run, bool buffersOnFirstUse)
    {
        var max = JsRunConstraint.MaxSingleAllocation(limits);
        var stringPrototype = PrototypeOf(engine, "String");
        Guard(engine, stringPrototype, "repeat", new StringSize(max, StringSize.Kind.Repeat));
        Guard(engine, stringPrototype, "padStart", new StringSize(max, StringSize.Kind.Pad));
        Guard(engine, stringPrototype, "padEnd", new StringSize(max, StringSize.Kind.Pad));
        Guard(engine, stringPrototype, "concat", new StringSize(max, StringSize.Kind.Concat));
        Guard(engine, PrototypeOf(engine, "Array"), "join", new JoinSize(max));

        // Every way a script can run a regular expression (test, match, matchAll, replace, replaceAll, search, split,
        // the Symbol.match/replace/search/split methods) reaches RegExp.prototype.exec once exec is no longer the
        // built-in: the specification's RegExpExec reads exec from the expression, and the interpreter's shortcuts
        // are taken only while exec is its own function. Guarding exec guards them all.
        Guard(engine, PrototypeOf(engine, "RegExp"), "exec", new RegexRetime(run));

        var buffers = new BufferGuards(engine, max);
        var names = BufferGuards.Names;
        if (!buffersOnFirstUse)
        {
            var proxies = buffers.Install();
            for (var i = 0; i < names.Length; i++)
            {
                if (proxies[i] is { } proxy)
                {
                    engine.Global.FastSetProperty(names[i], new PropertyDescriptor(proxy, BuiltIn));
                }
            }

            return;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (buffers.Exists(i))
            {
                engine.Global.FastSetProperty(names[i], PropertyDescriptor.CreateLazy((Buffers: buffers, Index: i), static s => s.Buffers.Install()[s.Index] ?? s.Buffers.Original(s.Index), BuiltIn));
            }
        }
    }

    /// <summary>
    /// The proxies of the typed array and buffer constructors, made together (the first reach of any one of them
    /// makes all, so <c>new Uint8Array(1).buffer.constructor</c> is already the guarded ArrayBuffer).
    /// </summary>
    private sealed class BufferGuards
    {
        public static readonly string[] Names = [.. TypedArrays, "ArrayBuffer", "SharedArrayBuffer"];

        private static readonly int ArrayBufferIndex = TypedArrays.Length;
        private static readonly int SharedArrayBufferIndex = TypedArrays.Length + 1;

        // The realm's own constructors, in the order of Names; built only when read. SharedArrayBuffer has no public
        // intrinsic: its global binding is read before it is replaced (a descriptor whose value is built on read).
        private static readonly Func<Intrinsics, ObjectInstance>[] Intrinsic =
        [
            i => i.Int8Array, i => i.Uint8Array, i => i.Uint8ClampedArray, i => i.Int16Array, i => i.Uint16Array, i => i.Int32Array,
            i => i.Uint32Array, i => i.Float16Array, i => i.Float32Array, i => i.Float64Array, i => i.BigInt64Array, i => i.BigUint64Array,
            i => i.ArrayBuffer,
        ];

        private readonly Engine _engine;
        private readonly long _max;
        private readonly PropertyDescriptor _sharedArrayBuffer;
        private JsValue?[]? _proxies;

        public BufferGuards(Engine engine, long max)
        {
            _engine = engine;
            _max = max;
            _sharedArrayBuffer = engine.Global.GetOwnProperty(Names[SharedArrayBufferIndex]);
        }

        public bool Exists(int index) => index != SharedArrayBufferIndex || _sharedArrayBuffer != PropertyDescriptor.Undefined;

        public JsValue Original(int index) => index < Intrinsic.Length
            ? Intrinsic[index](_engine.Intrinsics)
            : _sharedArrayBuffer == PropertyDescriptor.Undefined ? JsValue.Undefined : _sharedArrayBuffer.Value;

        public JsValue?[] Install()
        {
            if (_proxies is not null)
            {
                return _proxies;
            }

            var proxies = new JsValue?[Names.Length];
            for (var i = 0; i < Names.Length; i++)
            {
                if (!Exists(i) || Original(i) is not ObjectInstance original)
                {
                    continue;
                }

                var name = Names[i];
                var bytesPerElement = i >= ArrayBufferIndex ? 1 : (long)TypeConverter.ToNumber(original.Get("BYTES_PER_ELEMENT"));
                if (bytesPerElement <= 0)
                {
                    continue;
                }

                // The global and prototype.constructor both name the proxy, so `new x.constructor(n)` is guarded as well.
                var proxy = _engine.Advanced.CreateProxy(original, new BufferSize(_max, name, bytesPerElement));
                proxies[i] = proxy;
                if (original.Get("prototype") is ObjectInstance prototype)
                {
                    prototype.FastSetProperty("constructor", new PropertyDescriptor(proxy, BuiltIn));
                }
            }

            if (Original(ArrayBufferIndex) is ObjectInstance bufferConstructor && bufferConstructor.Get("prototype") is ObjectInstance bufferPrototype)
            {
                var transfer = new StringSize(_max, StringSize.Kind.Transfer);
                Guard(_engine, bufferPrototype, "transfer", transfer);
                Guard(_engine, bufferPrototype, "transferToFixedLength", transfer);
            }

            _proxies = proxies;
            return proxies;
        }
    }

    /// <summary>Fails the action: the allocation would be larger than the limit.</summary>
    internal static JsLimitFault TooLarge(string what, double bytes, long max) =>
        new(nameof(ActionLimits.MaxMemoryBytes), string.Create(CultureInfo.InvariantCulture,
            $"{what} would allocate {bytes:N0} bytes at once; one allocation may take at most {max:N0}, half of Limits:MaxMemoryBytes. The allocation was refused before it was made."));

    // Built-in methods and constructors are writable, configurable and not enumerable; their proxies are too.
    private const PropertyFlag BuiltIn = PropertyFlag.Writable | PropertyFlag.Configurable;

    // Read before any script runs: the built-ins are still the engine's own.
    private static ObjectInstance PrototypeOf(Engine engine, string constructor) =>
        (ObjectInstance)((ObjectInstance)engine.Global.Get(constructor)).Get("prototype");

    private static void Guard(Engine engine, ObjectInstance owner, string name, ProxyHandler handler)
    {
        if (owner.Get(name) is ObjectInstance original && original.IsCallable())
        {
            owner.FastSetProperty(name, new PropertyDescriptor(engine.Advanced.CreateProxy(original, handler), BuiltIn));
        }
    }

    private static JsValue Arg(JsValue[] args, int index) => index < args.Length ? args[index] : JsValue.Undefined;

    /// <summary>Sizes of the string built by repeat, padStart/padEnd, concat, and of an ArrayBuffer transfer.</summary>
    private sealed class StringSize(long max, StringSize.Kind kind) : ProxyHandler
    {
        public enum Kind
        {
            Repeat,
            Pad,
            Concat,
            Transfer,
        }

        public override JsValue? Apply(ObjectInstance target, JsValue thisArgument, JsValue[] arguments)
        {
            // Only primitive arguments are measured: converting an object here would run its valueOf/toString twice.
            switch (kind)
            {
                case Kind.Repeat when thisArgument.IsString() && Arg(arguments, 0).IsNumber():
                    {
                        var count = Arg(arguments, 0).AsNumber();
                        var bytes = 2.0 * thisArgument.AsString().Length * (double.IsFinite(count) ? Math.Max(0, Math.Truncate(count)) : 0);
                        Check("String.prototype.repeat", bytes);
                        break;
                    }

                case Kind.Pad when Arg(arguments, 0).IsNumber():
                    Check("String.prototype.padStart/padEnd", 2.0 * Math.Max(0, Arg(arguments, 0).AsNumber()));
                    break;
                case Kind.Concat when thisArgument.IsString():
                    {
                        double length = thisArgument.AsString().Length;
                        foreach (var argument in arguments)
                        {
                            length += argument.IsString() ? argument.AsString().Length : 0;
                        }

                        Check("String.prototype.concat", 2.0 * length);
                        break;
                    }

                case Kind.Transfer when Arg(arguments, 0).IsNumber():
                    Check("ArrayBuffer.prototype.transfer", Arg(arguments, 0).AsNumber());
                    break;
            }

            return null;
        }

        private void Check(string what, double bytes)
        {
            // An infinite or negative size is the built-in's own RangeError, exactly as in Node.
            if (double.IsFinite(bytes) && bytes > max)
            {
                throw TooLarge(what, bytes, max);
            }
        }
    }

    /// <summary>Measures the string <c>join</c> would build, from the lengths it can see without calling script code.</summary>
    private sealed class JoinSize(long max) : ProxyHandler
    {
        private const int NumberChars = 25;

        public override JsValue? Apply(ObjectInstance target, JsValue thisArgument, JsValue[] arguments)
        {
            if (thisArgument is not JsArray array)
            {
                return null;
            }

            var separator = Arg(arguments, 0);
            double separatorLength = separator.IsUndefined() ? 1 : separator.IsString() ? separator.AsString().Length : 0;
            var length = array.Length;
            var chars = length > 0 ? (length - 1) * separatorLength : 0;
            if (2 * chars <= max)
            {
                for (uint i = 0; i < length; i++)
                {
                    var element = array.Get(i);
                    chars += element.IsString() ? element.AsString().Length : element.IsNumber() ? NumberChars : 0;
                    if (2 * chars > max)
                    {
                        break;
                    }
                }
            }

            if (2 * chars > max)
            {
                throw TooLarge("Array.prototype.join", 2 * chars, max);
            }

            return null;
        }
    }

    /// <summary>Sizes a typed array or buffer made from a length (one made from existing data is bounded by that data).</summary>
    private sealed class BufferSize(long max, string name, long bytesPerElement) : ProxyHandler
    {
        public override ObjectInstance? Construct(ObjectInstance target, JsValue[] arguments, JsValue newTarget)
        {
            var first = Arg(arguments, 0);
            if (first.IsNumber())
            {
                Check(first.AsNumber() * bytesPerElement);
            }

            // new ArrayBuffer(n, { maxByteLength }) reserves up to maxByteLength.
            if (bytesPerElement == 1 && Arg(arguments, 1) is ObjectInstance options && options.Get("maxByteLength") is { } maxByteLength && maxByteLength.IsNumber())
            {
                Check(maxByteLength.AsNumber());
            }

            return null;
        }

        private void Check(double bytes)
        {
            if (double.IsFinite(bytes) && bytes > max)
            {
                throw TooLarge($"new {name}", bytes, max);
            }
        }
    }

    /// <summary>Gives a regular expression used now at most the time left in the budget.</summary>
    private sealed class RegexRetime(JsRunConstraint run) : ProxyHandler
    {
        public override JsValue? Apply(ObjectInstance target, JsValue thisArgument, JsValue[] arguments)
        {
            // The interpreter's own engine reads the engine's timeout when the match starts.
            run.UpdateRegexTimeout();
            Retime(thisArgument);
            Retime(Arg(arguments, 0));
            return null;
        }

        private void Retime(JsValue value)
        {
            if (value is not JsRegExp regExp || regExp.Value is not { } regex)
            {
                return;
            }

            var left = run.RegexTimeoutNow;
            if (regex.MatchTimeout == Regex.InfiniteMatchTimeout || regex.MatchTimeout - left > JsRunConstraint.RegexSlack)
            {
                regExp.Value = new Regex(regex.ToString(), regex.Options, left);
            }
        }
    }
}
