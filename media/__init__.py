"""Image uploads for Chợ Quê: validation and re-encoding (images) and file storage (storage).

Both modules are pure (no Flask); `media.messages` holds the translatable user messages.
"""
