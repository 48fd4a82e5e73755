"""notifications: the outbox of e-mail and in-app messages, and e-mail opt-outs

Revision ID: 0011
Revises: 0010

Each message is a row written with the event that causes it; its unique key keeps a reminder
or event from producing a second message, and the sender claims rows with a lease.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_optouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("category IN ('reminder', 'dossier', 'registration', 'council', 'plan', 'announcement', 'security')", name=op.f('ck_notification_optouts_category_known')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_optouts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_optouts')),
    sa.UniqueConstraint('user_id', 'category', name=op.f('uq_notification_optouts_user_id'))
    )
    with op.batch_alter_table('notification_optouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_optouts_user_id'), ['user_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=250), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('email_to', sa.String(length=200), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('claim_token', sa.String(length=40), nullable=True),
    sa.Column('lease_until', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.CheckConstraint("category IN ('reminder', 'dossier', 'registration', 'council', 'plan', 'announcement', 'security')", name=op.f('ck_notifications_category_known')),
    sa.CheckConstraint("status = 'none' OR email_to IS NOT NULL", name=op.f('ck_notifications_mail_has_address')),
    sa.CheckConstraint("status IN ('none', 'pending', 'claimed', 'sending', 'sent', 'failed', 'uncertain', 'cancelled')", name=op.f('ck_notifications_status_known')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_notifications_attempts_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('key', name=op.f('uq_notifications_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_status_next', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_created')
        batch_op.drop_index('ix_notifications_status_next')

    op.drop_table('notifications')
    with op.batch_alter_table('notification_optouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_optouts_user_id'))

    op.drop_table('notification_optouts')
