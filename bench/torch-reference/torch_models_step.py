# PyTorch CPU baseline for this project's three video GANs (lib/gan/models) at their default configs, as bench/gan-cell.ts
# builds them: createModel(kind, { frames: 16, size, channels: 1 }, 0), batch 16, a fixed random real batch.
# Same layers, widths, batch norms, losses, Adam settings, nCritic and per-step work as lib/gan/train/step.ts, so the
# timing compares the frameworks, not the models. Channels-first ([B, C, T, H, W]); TF.js is channels-last.
# Usage: python3 torch_models_step.py <threads> <tgan|mocogan|vgan> <size 32|64> <steps>
import math, os, sys, time, torch, torch.nn as nn, torch.nn.functional as F

threads, kind, size, steps = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads); torch.manual_seed(0)
if os.environ.get('FLUSH_DENORMAL'): torch.set_flush_denormal(True)
B, T, C = 16, 16, 1
LEVELS = int(math.log2(size // 4))                     # spatialLevels: ×2 upsamplings from 4×4
assert 4 * 2 ** LEVELS == size and LEVELS >= 1, f'size must be 4·2^k, got {size}'


def temporal_levels(frames, max_levels):                # common.ts temporalLevels
    k = 0
    while k < max_levels and frames % 2 ** (k + 1) == 0: k += 1
    return k


class BN(nn.Module):
    """lib/gan/layers/batchnorm.ts over dim 1 of any rank: center=False has no β (TGAN's "no beta" BNs),
    which nn.BatchNormNd cannot express without changing the parameter count."""
    def __init__(s, ch, eps=1e-5, center=True, gamma_std=0.0):
        super().__init__()
        s.eps = eps
        s.weight = nn.Parameter(1 + gamma_std * torch.randn(ch))
        s.bias = nn.Parameter(torch.zeros(ch)) if center else None
        s.register_buffer('running_mean', torch.zeros(ch)); s.register_buffer('running_var', torch.ones(ch))

    def forward(s, x):
        return F.batch_norm(x, s.running_mean, s.running_var, s.weight, s.bias, s.training, 0.1, s.eps)


def init_(net, normal=None, uniform=None):
    """The TF.js init: weights N(0, std) or U(−a, a), biases 0 (GRU and BN keep their own)."""
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
            if normal is not None: nn.init.normal_(m.weight, 0, normal)
            else: nn.init.uniform_(m.weight, -uniform, uniform)
            if m.bias is not None: nn.init.zeros_(m.bias)
    return net


# Kernel 4, stride 2 with TF "same" padding pads 1 on each side for the even lengths used here (16 frames, sizes
# 4·2^k): PyTorch's padding=1, both for convolutions and their transposes.
def up_stack(chans, bn, dims=2):                      # blocks.ts UpStack2d/3d: ConvT (no bias) + BN + ReLU per layer
    ConvT = nn.ConvTranspose2d if dims == 2 else nn.ConvTranspose3d
    layers = []
    for i in range(len(chans) - 1):
        layers += [ConvT(chans[i], chans[i + 1], 4, 2, 1, bias=False), bn(chans[i + 1]), nn.ReLU()]
    return nn.Sequential(*layers)


def down_stack(in_ch, chans, conv, bn):               # blocks.ts downStack2d/3d: BN on all but the first, leaky 0.2
    layers = []
    for i, ch in enumerate(chans):
        layers.append(conv(i, in_ch if i == 0 else chans[i - 1], ch, i == 0))   # bias only where no BN follows
        if i > 0: layers.append(bn(ch))
        layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


# ---------------------------------------------------------------- TGAN (tgan.ts)
TGAN_BN = dict(eps=2e-5)  # Chainer's BN defaults; momentum 0.1 as everywhere


class TganG(nn.Module):
    def __init__(s, z_slow=100, z_fast=100):
        super().__init__()
        # G0: z0 → T per-frame latents with stride-2 1-D transposed convs ([4, 1] 2-D kernels in TF.js).
        lt = temporal_levels(T, 16)
        s.t0, s.c0 = T // 2 ** lt, 512
        s.stem = nn.Linear(z_slow, s.t0 * s.c0, bias=False)
        s.stem_bn = BN(s.c0, center=False, **TGAN_BN)
        # 16 frames: every layer doubles time; a stride-1 4-tap "same" transpose would need asymmetric padding.
        assert lt >= 1
        hidden, n = [256, 128, 128], lt
        s.temporal, in_ch = nn.ModuleList(), s.c0
        for i in range(n):
            last = i == n - 1
            out_ch = z_fast if last else hidden[min(i, 2)]
            conv = nn.ConvTranspose1d(in_ch, out_ch, 4, 2, 1, bias=last)
            s.temporal.append(nn.ModuleList([conv] + ([] if last else [BN(out_ch, center=False, **TGAN_BN)])))
            in_ch = out_ch
        # G1: (z0, z1ᵗ) → frame; two dense stems, each BN per feature, concatenated at 4×4.
        top = 32 * 2 ** LEVELS
        s.half = top // 2
        s.slow = nn.Linear(z_slow, 16 * s.half, bias=False)
        s.fast = nn.Linear(z_fast, 16 * s.half, bias=False)
        s.slow_bn, s.fast_bn = BN(16 * s.half, **TGAN_BN), BN(16 * s.half, **TGAN_BN)
        chans = [top // 2 ** i for i in range(LEVELS + 1)]
        s.up = up_stack(chans, lambda ch: BN(ch, **TGAN_BN))
        s.out = nn.Conv2d(chans[-1], C, 3, 1, 1)       # 3×3 "same", with bias
        init_(s, uniform=0.01)

    def forward(s, z):                                   # z [B, zSlow] → video [B, C, T, H, W]
        b = z.shape[0]
        h = F.relu(s.stem_bn(s.stem(z).view(b, s.c0, s.t0)))
        for layer in s.temporal:
            h = F.relu(layer[1](layer[0](h))) if len(layer) == 2 else torch.tanh(layer[0](h))
        z1 = h.transpose(1, 2).reshape(b * T, -1)        # [B·T, zFast]
        z0 = z.repeat_interleave(T, 0)                   # [B·T, zSlow]
        hs = F.relu(s.slow_bn(s.slow(z0))).view(-1, s.half, 4, 4)
        hf = F.relu(s.fast_bn(s.fast(z1))).view(-1, s.half, 4, 4)
        x = torch.tanh(s.out(s.up(torch.cat([hs, hf], 1))))
        return x.view(b, T, C, size, size).transpose(1, 2)


class TganD(nn.Module):
    def __init__(s):
        super().__init__()
        chans = [64 * 2 ** i for i in range(LEVELS)]
        s.body = down_stack(C, chans, lambda i, a, o, bias: nn.Conv3d(a, o, 4, 2, 1, bias=bias), lambda ch: BN(ch, center=False, **TGAN_BN))
        s.head = nn.Conv2d(chans[-1], 1, 4, bias=False)  # 4×4 valid, one score per remaining time step
        init_(s, uniform=0.01)

    def forward(s, x):                                   # → scores [B, T']
        h = s.body(x)                                    # [B, C', T', 4, 4]
        b, c, t = h.shape[:3]
        return s.head(h.transpose(1, 2).reshape(b * t, c, 4, 4)).view(b, t)


@torch.no_grad()
def clip_critic(D):
    """svc.ts clipCritic: singular values of every conv weight ≤ 1 and BN γ ∈ [0.01·σ, σ]. Same algorithm as TF.js:
    the smaller Gram matrix, skipped when its Gershgorin bound is ≤ 1, else a float64 eigendecomposition."""
    for m in D.modules():
        if isinstance(m, (nn.Conv2d, nn.Conv3d)):
            w = m.weight.view(m.weight.shape[0], -1)     # [out, fanIn]: TF.js's [fanIn, out] transposed
            rows = w.shape[0] <= w.shape[1]
            g = w @ w.T if rows else w.T @ w
            if g.abs().sum(1).max() <= 1: continue
            lam, e = torch.linalg.eigh(g.double())
            keep = lam > 1
            if not keep.any(): continue
            e = e[:, keep]
            p = ((e * (1 - lam[keep].rsqrt())) @ e.T).float()
            w -= p @ w if rows else w @ p
        elif isinstance(m, BN):
            std = m.running_var.sqrt()
            m.weight.copy_(torch.minimum(torch.maximum(m.weight, 0.01 * std), std))


# ---------------------------------------------------------------- MoCoGAN (mocogan.ts)
class MocoG(nn.Module):
    def __init__(s, dc=50, dm=10):
        super().__init__()
        s.dc, s.dm = dc, dm
        s.gru = nn.GRUCell(dm, dm)                       # gru.ts has PyTorch's equations, gate order and init
        s.top = 64 * 2 ** (LEVELS - 1)
        s.stem = nn.Linear(dc + dm, 16 * s.top, bias=False)
        s.stem_bn = BN(s.top)
        s.up = up_stack([s.top // 2 ** i for i in range(LEVELS)], BN)
        s.out = nn.ConvTranspose2d(64, C, 4, 2, 1, bias=False)
        init_(s, normal=0.02)

    def forward(s, content, h0, noise):                  # [B, dC], [B, dM], [B, T, dM]
        b, h, states = content.shape[0], h0, []
        for t in range(T):
            h = s.gru(noise[:, t], h); states.append(h)
        z = torch.cat([content[:, None].expand(b, T, s.dc), torch.stack(states, 1)], 2).reshape(b * T, -1)
        x = F.relu(s.stem_bn(s.stem(z).view(-1, s.top, 4, 4)))
        x = torch.tanh(s.out(s.up(x)))
        return x.view(b, T, C, size, size).transpose(1, 2)


class MocoD(nn.Module):
    def __init__(s):
        super().__init__()
        # PatchImageDiscriminator: three stride-2 convs, then a stride-2 conv to one logit per patch.
        s.image = down_stack(C, [64, 128, 256], lambda i, a, o, bias: nn.Conv2d(a, o, 4, 2, 1, bias=bias), BN)
        s.image_head = nn.Conv2d(256, 1, 4, 2, 1, bias=False)
        # VideoDiscriminator: stride (1, 2, 2), padding (0, 1, 1), time kernels shrinking to what is left.
        chans, kt, t = [64 * 2 ** i for i in range(LEVELS)], [], T
        for i in range(LEVELS + 1):
            kt.append(min(4, t)); t -= kt[i] - 1
        s.video = down_stack(C, chans, lambda i, a, o, bias: nn.Conv3d(a, o, (kt[i], 4, 4), (1, 2, 2), (0, 1, 1), bias=bias), BN)
        s.video_head = nn.Conv3d(chans[-1], 1, (kt[LEVELS], 4, 4), bias=False)
        init_(s, normal=0.02)

    def images(s, x): return s.image_head(s.image(x)).flatten(1)   # [N, patches]
    def videos(s, x): return s.video_head(s.video(x)).flatten(1)   # [B, T']


def pick_frames(video):                                  # one random frame per clip: [B, C, T, H, W] → [B, C, H, W]
    return video[torch.arange(video.shape[0]), :, torch.randint(T, (video.shape[0],))]


# ---------------------------------------------------------------- VGAN (vgan.ts)
VGAN_G_BN = dict(gamma_std=0.02)                         # γ ~ N(1, 0.02)


class VganG(nn.Module):
    def __init__(s, z_dim=100):
        super().__init__()
        lt = temporal_levels(T, LEVELS)
        # With 16 frames time doubles on every layer (stride 2), where PyTorch's padding=1 equals TF's "same".
        assert lt == LEVELS, 'a stride-1 4-tap "same" transpose would need asymmetric padding'
        s.t0, s.top = T // 2 ** lt, 64 * 2 ** (LEVELS - 1)
        chans = [s.top // 2 ** i for i in range(LEVELS)]
        bn = lambda ch: BN(ch, **VGAN_G_BN)
        s.video_stem, s.video_bn = nn.Linear(z_dim, s.t0 * 16 * s.top, bias=False), bn(s.top)
        s.video_up = up_stack(chans, bn, dims=3)
        s.fg = nn.ConvTranspose3d(chans[-1], C, 4, 2, 1)
        s.mask = nn.ConvTranspose3d(chans[-1], 1, 4, 2, 1)
        s.static_stem, s.static_bn = nn.Linear(z_dim, 16 * s.top, bias=False), bn(s.top)
        s.static_up = up_stack(chans, bn)
        s.bg = nn.ConvTranspose2d(chans[-1], C, 4, 2, 1)
        init_(s, normal=0.01)

    def forward(s, z):                                   # → video, mask
        b = z.shape[0]
        v = s.video_up(F.relu(s.video_bn(s.video_stem(z).view(b, s.top, s.t0, 4, 4))))
        fg, mask = torch.tanh(s.fg(v)), torch.sigmoid(s.mask(v))
        bg = torch.tanh(s.bg(s.static_up(F.relu(s.static_bn(s.static_stem(z).view(b, s.top, 4, 4))))))
        return mask * fg + (1 - mask) * bg[:, :, None], mask


class VganD(nn.Module):
    def __init__(s):
        super().__init__()
        chans = [64 * 2 ** i for i in range(LEVELS)]
        s.body = down_stack(C, chans, lambda i, a, o, bias: nn.Conv3d(a, o, 4, 2, 1, bias=bias), lambda ch: BN(ch, eps=1e-3, **VGAN_G_BN))
        t = T
        for _ in range(LEVELS): t = math.ceil(t / 2)
        s.head = nn.Conv3d(chans[-1], 1, (t, 4, 4))     # valid, with bias → one logit
        init_(s, normal=0.01)

    def forward(s, x): return s.head(s.body(x)).view(x.shape[0], 1)


# ---------------------------------------------------------------- losses and the step (losses.ts, train/step.ts)
def bce(x, target): return F.binary_cross_entropy_with_logits(x, torch.full_like(x, target))


def d_loss(loss, real, fake):
    return bce(real, 1) + bce(fake, 0) if loss == 'bce' else fake.mean() - real.mean()   # 'wgan'


def g_loss(loss, fake): return bce(fake, 1) if loss == 'bce' else -fake.mean()


if kind == 'tgan':
    G, D, loss, n_critic = TganG(), TganD(), 'wgan', 1
    adam = dict(lr=5e-5, betas=(0.0, 0.99))             # the model's RMSProp-like Adam
    latent = lambda: (torch.rand(B, 100) * 2 - 1,)        # z0 ~ U(−1, 1)
elif kind == 'mocogan':
    G, D, loss, n_critic = MocoG(), MocoD(), 'bce', 1
    adam = dict(lr=2e-4, betas=(0.5, 0.999))
    latent = lambda: (torch.randn(B, 50), torch.randn(B, 10), torch.randn(B, T, 10))
elif kind == 'vgan':
    G, D, loss, n_critic = VganG(), VganD(), 'bce', 1
    adam = dict(lr=2e-4, betas=(0.5, 0.999))
    latent = lambda: (torch.randn(B, 100),)
else:
    sys.exit(f'unknown model {kind}')

nparams = lambda m: sum(p.numel() for p in m.parameters() if p.requires_grad)
n_g, n_d = nparams(G), nparams(D)
print(f'{kind} {size}: G={n_g:,} D={n_d:,} params', flush=True)
# TF.js's Adam takes ε from the backend: 1e-7 in float32 (PyTorch's default is 1e-8).
optG = torch.optim.Adam(G.parameters(), eps=1e-7, **adam)
optD = torch.optim.Adam(D.parameters(), eps=1e-7, **adam)
real = torch.rand(B, C, T, size, size) * 2 - 1
critic_steps = 0


def generate(z):
    return G(*z)[0] if kind == 'vgan' else G(*z)


def d_terms(fake):
    if kind == 'mocogan':                               # image D on one frame per clip + video D on the clips
        return d_loss(loss, D.images(pick_frames(real)), D.images(pick_frames(fake))) + d_loss(loss, D.videos(real), D.videos(fake))
    return d_loss(loss, D(real), D(fake))


def g_terms(z):
    if kind == 'vgan':                                  # + λ·mean|mask| keeps the mask sparse
        video, mask = G(*z)
        return g_loss(loss, D(video)) + 0.1 * mask.abs().mean()
    fake = generate(z)
    if kind == 'mocogan':
        return g_loss(loss, D.images(pick_frames(fake))) + g_loss(loss, D.videos(fake))
    return g_loss(loss, D(fake))


def update(opt, params, lossv):
    opt.zero_grad(set_to_none=True)
    lossv.backward()
    opt.step()
    return torch.sqrt(sum((p.grad ** 2).sum() for p in params))   # the step's grad_norm monitor


def step():
    global critic_steps
    for _ in range(n_critic):
        with torch.no_grad(): fake = generate(latent())   # TF.js differentiates D's variables only: no G backward
        ld = d_terms(fake)
        gn_d = update(optD, D.parameters(), ld)
        if kind == 'tgan':                               # afterDiscriminatorStep: SVC every 5 critic updates
            critic_steps += 1
            if critic_steps % 5 == 0: clip_critic(D)
    D.requires_grad_(False)                              # nor G's update D's: only the input gradient flows back
    lg = g_terms(latent())
    gn_g = update(optG, G.parameters(), lg)
    D.requires_grad_(True)
    return [x.item() for x in (ld, lg, gn_d, gn_g)]     # readMonitors: one read-back per step


for _ in range(2): step()                                # warm-up
ts, cs = [], []
for _ in range(steps):
    t0 = time.perf_counter(); c0 = time.process_time(); vals = step()
    ts.append((time.perf_counter() - t0) * 1000); cs.append((time.process_time() - c0) * 1000)
    if not all(math.isfinite(v) for v in vals): sys.exit(f'non-finite loss {vals}')
ts.sort(); cs.sort()
print(f"torch {torch.__version__} threads={torch.get_num_threads()} model={kind} size={size} G={n_g:,} D={n_d:,} params "
      f"step ms: median {ts[len(ts)//2]:.0f}  min {ts[0]:.0f}  max {ts[-1]:.0f}  (n={steps})  cpu-time/step median {cs[len(cs)//2]:.0f} ms  load1={os.getloadavg()[0]:.1f}")
